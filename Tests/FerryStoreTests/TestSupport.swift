import FerryCore
import FerryStore
import Foundation
import GRDB

/// A fresh folder under the system temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var dataDirectory: DataDirectory { DataDirectory(url: url) }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Every record of some types held in memory, to evaluate filters without SQL and compare.
struct MemoryDataset {
    let catalog: ResourceCatalog
    var records: [String: [FerryCore.Record]] = [:]
    var byID: [String: [String: FerryCore.Record]] = [:]

    init(_ dataset: Dataset, types: [String]) throws {
        catalog = dataset.catalog
        for name in types {
            let type = try dataset.catalog.type(named: name)
            let all = try dataset.fetchPage(RecordQuery(type: type), after: nil, limit: Int.max)
            records[name] = all
            byID[name] = Dictionary(uniqueKeysWithValues: all.map { ($0.id!, $0) })
        }
    }

    /// The value of a path in a record, following foreign keys through the loaded types.
    func value(of path: AttributePath, in record: FerryCore.Record) -> FerryCore.Value {
        var current = record
        for relationship in path.relationships {
            guard case .string(let id)? = current[relationship.foreignKey!],
                  let next = byID[relationship.target]?[id]
            else { return .null }
            current = next
        }
        return current[path.column] ?? .null
    }

    /// The ids of a type's records that satisfy a filter, evaluated in memory, sorted.
    func ids(_ type: String, matching filter: Filter) -> [String] {
        (records[type] ?? []).filter { record in filter.matches { value(of: $0, in: record) } }.map { $0.id! }.sorted()
    }
}

extension Dataset {
    /// Opens a fresh test dataset in a temporary directory.
    static func temporary(_ directory: TemporaryDirectory, mode: DatasetMode = .test) throws -> Dataset {
        try Dataset(mode: mode, directory: directory.dataDirectory)
    }
}
