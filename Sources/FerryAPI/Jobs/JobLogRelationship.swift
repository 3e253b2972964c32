import FerryCore
import FerryStore

/// The change-log relationships of an export or import (SPEC §2): `events`, `versions` and
/// `event_stores`, each a job type whose rows point back at the job.
enum JobLogRelationship: String, CaseIterable, Sendable {
    case events
    case versions
    case eventStores = "event_stores"

    /// The rows' type.
    var type: ResourceType {
        switch self {
        case .events: return JobTypes.events
        case .versions: return JobTypes.versions
        case .eventStores: return JobTypes.eventStores
        }
    }

    /// The attribute holding the job's id.
    var ownerAttribute: String { self == .versions ? "item_id" : "resource_id" }

    /// The names `include=` accepts on exports and imports.
    static let names = Set(allCases.map(\.rawValue))

    /// The filter selecting the rows of jobs `ids`.
    func filter(_ ids: [String]) throws -> Filter {
        try Filter([(key: "\(ownerAttribute)_in", value: .array(ids.map(JSONValue.string)))], for: type, in: .jobs)
    }

    /// The rows of jobs `ids`, oldest first.
    func entries(of ids: [String], in dataset: Dataset) throws -> [Record] {
        guard !ids.isEmpty else { return [] }
        var all: [Record] = []
        var offset = 0
        while true {
            let page = try dataset.jobs(type, filter: filter(ids), sort: [RecordSort("created_at")], offset: offset, limit: 1000).records
            all += page
            guard page.count == 1000 else { return all }
            offset += 1000
        }
    }
}
