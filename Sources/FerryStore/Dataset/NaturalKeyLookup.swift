import FerryCore
import GRDB

/// Finds the natural keys of records by id, in one query per type level: what dry data writes in
/// place of an id (`sku_id` → `sku_code`; `price_id` → `price_sku_code` + `price_price_list_code`).
public struct NaturalKeyLookup: Sendable {
    /// The dataset read.
    public let dataset: Dataset

    /// Creates a lookup.
    public init(dataset: Dataset) {
        self.dataset = dataset
    }

    /// One component of a natural key: the suffix a reference field gets, and its value.
    public typealias Component = (suffix: String, value: Value)

    /// The natural key components of each id of `type`; ids that do not exist are absent.
    public func keys(of type: ResourceType, ids: [String]) throws -> [String: [Component]] {
        guard !ids.isEmpty else { return [:] }
        return try dataset.pool.read { db in try keys(db, type, ids: Array(Set(ids))) }
    }

    func keys(_ db: GRDB.Database, _ type: ResourceType, ids: [String]) throws -> [String: [Component]] {
        guard !ids.isEmpty else { return [:] }
        let parts: [NaturalKey.Part]
        switch type.naturalKey {
        case .contentHash: parts = [.attribute(NaturalKey.contentHashColumn)]
        case .parts(let p): parts = p
        }
        var columns: [(name: String, type: AttributeType, relationship: Relationship?)] = []
        for part in parts {
            switch part {
            case .attribute(let name):
                columns.append((name, type.attribute(named: name)?.type ?? .string, nil))
            case .relationship(let name):
                guard let relationship = type.relationship(named: name), let key = relationship.foreignKey else { continue }
                columns.append((key, .string, relationship))
            }
        }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let sql = "SELECT \"id\", \(columns.map { quoted($0.name) }.joined(separator: ", ")) FROM \(quoted(type.name)) WHERE \"id\" IN (\(marks))"
        var rows: [(id: String, values: [Value])] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(ids))
        while let row = try cursor.next() {
            rows.append((row[0], columns.enumerated().map { Value(databaseValue: row[$0.offset + 1], as: $0.element.type) }))
        }
        var nested: [Int: [String: [Component]]] = [:]
        for (index, column) in columns.enumerated() {
            guard let relationship = column.relationship, let target = dataset.catalog[relationship.target] else { continue }
            nested[index] = try keys(db, target, ids: Array(Set(rows.compactMap { $0.values[index].stringValue })))
        }
        var out: [String: [Component]] = [:]
        for row in rows {
            var components: [Component] = []
            for (index, column) in columns.enumerated() {
                if let relationship = column.relationship {
                    let targetKeys = row.values[index].stringValue.flatMap { nested[index]?[$0] } ?? []
                    components += targetKeys.map { (relationship.name + "_" + $0.suffix, $0.value) }
                } else {
                    components.append((column.name, row.values[index]))
                }
            }
            out[row.id] = components
        }
        return out
    }
}
