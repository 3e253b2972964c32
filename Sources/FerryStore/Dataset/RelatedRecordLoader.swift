import FerryCore
import GRDB

/// Loads related records for a batch: one query per relationship per batch, whatever the batch
/// size, and nested levels the same way over the records the level above loaded.
public struct RelatedRecordLoader: Sendable {
    /// The dataset read.
    public let dataset: Dataset

    /// Creates a loader.
    public init(dataset: Dataset) {
        self.dataset = dataset
    }

    /// Adds the included relationships to exported records of `type`: a belongs-to relationship
    /// as a nested record, a has-many or many-to-many one as an array of records (by id order).
    public func include(_ tree: IncludeTree, into records: [Record], of type: ResourceType) throws -> [Record] {
        guard !tree.isEmpty, !records.isEmpty else { return records }
        return try dataset.pool.read { db in try include(db, tree, into: records, of: type) }
    }

    private func include(_ db: GRDB.Database, _ tree: IncludeTree, into records: [Record], of type: ResourceType) throws -> [Record] {
        var records = records
        for (name, subtree) in tree.children {
            guard let relationship = type.relationship(named: name), let target = dataset.catalog[relationship.target] else { continue }
            let layout = RecordLayout(type: target, form: .exported)
            switch relationship.kind {
            case .belongsTo(let key, _):
                let ids = Array(Set(records.compactMap { $0[key]?.stringValue }))
                var related = try fetch(db, target, layout: layout, where: "id", in: ids)
                related = try include(db, subtree, into: related, of: target)
                let byID = Dictionary(related.map { ($0.id ?? "", $0) }, uniquingKeysWith: { a, _ in a })
                Self.set(name, on: &records) { record in record[key]?.stringValue.flatMap { byID[$0] }.map(Value.record) ?? .null }
            case .hasMany(let inverse):
                guard let key = target.relationship(named: inverse)?.foreignKey else { continue }
                let ids = records.compactMap(\.id)
                var related = try fetch(db, target, layout: layout, where: key, in: ids)
                related = try include(db, subtree, into: related, of: target)
                var grouped: [String: [Record]] = [:]
                for record in related { grouped[record[key]?.stringValue ?? "", default: []].append(record) }
                Self.set(name, on: &records) { record in .records(grouped[record.id ?? ""] ?? []) }
            case .manyToMany(let joinTable, let ownKey, let targetKey):
                let ids = records.compactMap(\.id)
                guard !ids.isEmpty else { continue }
                let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
                let sql = "SELECT j.\(quoted(ownKey)), \(layout.selectList(alias: "t")) FROM \(quoted(joinTable)) AS j JOIN \(quoted(target.name)) AS t ON t.\"id\" = j.\(quoted(targetKey)) WHERE j.\(quoted(ownKey)) IN (\(marks)) ORDER BY t.\"id\""
                var owners: [String] = []
                var related = try layout.records(db, sql: sql, arguments: StatementArguments(ids), offset: 1) { statement in
                    owners.append(RawRows.text(statement, 0))
                }
                related = try include(db, subtree, into: related, of: target)
                var grouped: [String: [Record]] = [:]
                for (owner, record) in zip(owners, related) { grouped[owner, default: []].append(record) }
                Self.set(name, on: &records) { record in .records(grouped[record.id ?? ""] ?? []) }
            }
        }
        return records
    }

    /// Sets field `name` of every record to `value(record)`. Records that shared one array of
    /// names share the longer one too, which is what lets a JSON writer encode their keys once.
    private static func set(_ name: String, on records: inout [Record], _ value: (Record) -> Value) {
        var extended: (base: [String], names: [String])?
        for i in records.indices {
            let new = value(records[i])
            let names = records[i].names
            if names.contains(name) {
                records[i][name] = new
                continue
            }
            if extended?.base != names { extended = (names, names + [name]) }
            records[i] = Record(names: extended!.names, values: records[i].values + [new])
        }
    }

    private func fetch(_ db: GRDB.Database, _ type: ResourceType, layout: RecordLayout, where column: String, in values: [String]) throws -> [Record] {
        guard !values.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        let sql = "SELECT \(layout.selectList(alias: type.name)) FROM \(quoted(type.name)) WHERE \(quoted(column)) IN (\(marks)) ORDER BY \"id\""
        return try layout.records(db, sql: sql, arguments: StatementArguments(values))
    }
}
