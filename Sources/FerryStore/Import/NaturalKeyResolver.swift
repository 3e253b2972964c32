import FerryCore
import GRDB

/// Finds record ids from natural key components, the reverse of ``NaturalKeyLookup``:
/// `{"code": "SKU-1"}` for a SKU, `{"sku_code": …, "price_list_code": …}` for a price (resolving
/// the SKU and the price list first). One query per type level for a whole batch.
public struct NaturalKeyResolver {
    let dataset: Dataset

    /// The id matching each set of components, or nil.
    func ids(of type: ResourceType, components: [[String: Value]], db: GRDB.Database) throws -> [String?] {
        let catalog = dataset.catalog
        let parts: [NaturalKey.Part]
        switch type.naturalKey {
        case .contentHash: parts = [.attribute(NaturalKey.contentHashColumn)]
        case .parts(let p): parts = p
        }
        // Each part becomes one column value per input (an id for relationship parts).
        var columns: [String] = []
        var keys: [[Value]?] = Array(repeating: [], count: components.count)
        for part in parts {
            switch part {
            case .attribute(let name):
                columns.append(name)
                let attributeType = type.attribute(named: name)?.type ?? .string
                for i in components.indices {
                    guard let value = components[i][name], case .success(let typed) = ImportPreparer.typed(value, attributeType), !typed.isNull else {
                        keys[i] = nil
                        continue
                    }
                    keys[i]?.append(typed)
                }
            case .relationship(let name):
                guard let relationship = type.relationship(named: name), let key = relationship.foreignKey,
                      let target = catalog[relationship.target]
                else { continue }
                columns.append(key)
                let prefix = name + "_"
                let nested = components.map { parts in
                    Dictionary(uniqueKeysWithValues: parts.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
                }
                let ids = try self.ids(of: target, components: nested, db: db)
                for i in components.indices {
                    if let id = ids[i] {
                        keys[i]?.append(.string(id))
                    } else if nested[i].isEmpty {
                        // No component names the part: it matches a record without that relationship
                        // (a line item of a SKU has no bundle), as `find` matches '' to a null column.
                        keys[i]?.append(.string(""))
                    } else {
                        keys[i] = nil
                    }
                }
            }
        }
        guard !columns.isEmpty else { return Array(repeating: nil, count: components.count) }
        let found = try Self.find(type, columns: columns, keys: keys.compactMap { $0 }, db: db)
        return keys.map { $0.flatMap { found[$0] } }
    }

    /// The ids of the records whose `columns` hold each of `keys`, with one query per chunk of
    /// keys joining a `VALUES` list to the table (SQLite scans the table for a multi-column
    /// `(a, b) IN (VALUES …)`, but searches the natural-key index for the join). A key part that is null (or `''`, the importer's stand-in for a
    /// missing part) matches a null column: keys are grouped by which parts are missing, so each
    /// query still compares plain columns and the natural-key index serves it.
    static func find(_ type: ResourceType, columns: [String], keys: [[Value]], db: GRDB.Database) throws -> [[Value]: String] {
        func missing(_ value: Value) -> Bool { value.isNull || value == .string("") }
        let distinct = Array(Set(keys.map { $0.map { missing($0) ? Value.string("") : $0 } }))
        var found: [[Value]: String] = [:]
        let types = columns.map { type.attribute(named: $0)?.type ?? .string }
        let groups = Dictionary(grouping: distinct) { key in key.map(missing) }
        for (pattern, group) in groups {
            let present = columns.indices.filter { !pattern[$0] }
            let absent = columns.indices.filter { pattern[$0] }
            guard !present.isEmpty else { continue }
            let perChunk = max(1, 900 / present.count)
            for chunk in stride(from: 0, to: group.count, by: perChunk) {
                let slice = group[chunk..<min(group.count, chunk + perChunk)]
                let sql = Self.sql(table: type.name, present: present.map { columns[$0] }, absent: absent.map { columns[$0] }, keys: slice.count)
                let arguments = StatementArguments(slice.flatMap { key in present.map { key[$0].databaseValue } })
                // Full chunks repeat the same text batch after batch: prepare it once per connection.
                for row in try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments) {
                    var key = Array(repeating: Value.string(""), count: columns.count)
                    for (offset, column) in present.enumerated() { key[column] = Value(databaseValue: row[offset + 1], as: types[column]) }
                    found[key] = row[0]
                }
            }
        }
        return found
    }

    /// The lookup query for `keys` keys whose `present` columns are given and `absent` ones null.
    public static func sql(table: String, present: [String], absent: [String], keys: Int) -> String {
        let list = present.map { "t." + quoted($0) }.joined(separator: ", ")
        let on = present.enumerated().map { "t.\(quoted($1)) = k.column\($0 + 1)" }.joined(separator: " AND ")
        let nulls = absent.map { " AND t.\(quoted($0)) IS NULL" }.joined()
        let tuple = "(" + Array(repeating: "?", count: present.count).joined(separator: ",") + ")"
        return "SELECT t.id, \(list) FROM (VALUES \(Array(repeating: tuple, count: keys).joined(separator: ","))) AS k JOIN \(quoted(table)) AS t ON \(on)\(nulls)"
    }
}
