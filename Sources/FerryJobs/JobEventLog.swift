import FerryCore
import FerryStore

/// Records what happens to exports and imports: each lifecycle event (`create`, `start`,
/// `complete`, `interrupt`, `fail`, `destroy`) as an `events` row and an `event_stores` entry
/// holding the job as it then was, and each change of its attributes as a `versions` row with
/// the values before and after and who made it (SPEC §2: relationships `events`, `versions`,
/// `event_stores`).
public struct JobEventLog: Sendable {
    /// The dataset of the jobs.
    public let dataset: Dataset

    /// The lifecycle events.
    public enum Event: String, Sendable, CaseIterable {
        case create, start, complete, interrupt, fail, destroy
    }

    /// Who a change is recorded against when no token made it.
    public static let worker = "worker"

    /// Creates a log over a dataset.
    public init(dataset: Dataset) {
        self.dataset = dataset
    }

    /// Records a change of a job from `before` (nil: it was created) to `after` (nil: it was
    /// destroyed), with its lifecycle `event` if it had one, made by `subject`.
    public func record(_ kind: JobKind, before: Record?, after: Record?, event: Event?, subject: String) throws {
        guard let id = (after ?? before)?.id else { return }
        let who = JSONValue.object([JSONMember("subject", .string(subject))])
        let changes = Self.changes(from: before, to: after)
        if !changes.isEmpty {
            var version = Record()
            version.append("item_type", .string(kind.rawValue))
            version.append("item_id", .string(id))
            version.append("event", .string(before == nil ? "create" : (after == nil ? "destroy" : "update")))
            version.append("changes", .json(.object(changes)))
            version.append("who", .json(who))
            _ = try dataset.insertJob(JobTypes.versions, attributes: version)
        }
        guard let event else { return }
        var fired = Record()
        fired.append("name", .string(event.rawValue))
        fired.append("resource_type", .string(kind.rawValue))
        fired.append("resource_id", .string(id))
        _ = try dataset.insertJob(JobTypes.events, attributes: fired)
        var entry = Record()
        entry.append("resource_type", .string(kind.rawValue))
        entry.append("resource_id", .string(id))
        entry.append("event", .string(event.rawValue))
        entry.append("payload", .json((after ?? before)!.jsonValue))
        entry.append("who", .json(who))
        _ = try dataset.insertJob(JobTypes.eventStores, attributes: entry)
        try WebhookQueue(dataset: dataset).enqueue(topic: "\(kind.rawValue).\(event.rawValue)", kind: kind, record: (after ?? before)!)
    }

    /// `{"attribute": [before, after]}` for each attribute whose value differs (timestamps of
    /// the change itself left out).
    static func changes(from before: Record?, to after: Record?) -> [JSONMember] {
        var names: [String] = []
        for record in [before, after].compactMap({ $0 }) {
            for name in record.names where !names.contains(name) && name != "updated_at" { names.append(name) }
        }
        return names.compactMap { name in
            let old = before?[name] ?? .null
            let new = after?[name] ?? .null
            guard old != new else { return nil }
            return JSONMember(name, .array([old.jsonValue, new.jsonValue]))
        }
    }

    /// The event a status change fires, if any.
    public static func event(forStatus status: JobStatus, from previous: JobStatus?) -> Event? {
        guard status != previous else { return nil }
        switch status {
        case .inProgress: return .start
        case .completed: return .complete
        case .interrupted: return .interrupt
        case .failed: return .fail
        case .pending: return previous == nil ? .create : nil
        }
    }
}
