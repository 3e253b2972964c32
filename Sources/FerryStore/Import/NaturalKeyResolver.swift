import FerryCore
import GRDB

/// Finds record ids from natural key components, the reverse of ``NaturalKeyLookup``:
/// `{"code": "SKU-1"}` for a SKU, `{"sku_code": …, "price_list_code": …}` for a price (resolving
/// the SKU and the price list first). One query per type level for a whole batch.
struct NaturalKeyResolver {
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
                    guard let value = components[i][name], case .success(let typed) = Batch.typed(value, attributeType), !typed.isNull else {
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
                    if let id = ids[i] { keys[i]?.append(.string(id)) } else { keys[i] = nil }
                }
            }
        }
        guard !columns.isEmpty else { return Array(repeating: nil, count: components.count) }
        let found = try Self.find(type, columns: columns, keys: keys.compactMap { $0 }, db: db)
        return keys.map { $0.flatMap { found[$0] } }
    }

    /// The ids of the records whose `columns` hold each of `keys`, with one `IN (VALUES …)`
    /// query per chunk of keys. A null key part matches a null column (both read as `''`), so a
    /// line item keyed by order, SKU and bundle is found with either of the last two empty.
    static func find(_ type: ResourceType, columns: [String], keys: [[Value]], db: GRDB.Database) throws -> [[Value]: String] {
        let distinct = Array(Set(keys.map { $0.map { $0.isNull ? Value.string("") : $0 } }))
        var found: [[Value]: String] = [:]
        guard !distinct.isEmpty else { return found }
        let types = columns.map { type.attribute(named: $0)?.type ?? .string }
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let list = columns.map { "IFNULL(\(quoted($0)), '')" }.joined(separator: ", ")
        let perChunk = max(1, 900 / columns.count)
        for chunk in stride(from: 0, to: distinct.count, by: perChunk) {
            let slice = distinct[chunk..<min(distinct.count, chunk + perChunk)]
            let sql = "SELECT id, \(list) FROM \(quoted(type.name)) WHERE (\(list)) IN (VALUES \(Array(repeating: tuple, count: slice.count).joined(separator: ",")))"
            let arguments = StatementArguments(slice.flatMap { $0.map { $0.isNull ? "".databaseValue : $0.databaseValue } })
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                found[columns.indices.map { Value(databaseValue: row[$0 + 1], as: types[$0]) }] = row[0]
            }
        }
        return found
    }
}
