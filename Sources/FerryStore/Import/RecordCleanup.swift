import FerryCore
import GRDB

/// What `cleanup_records` deletes (SPEC §3), without ever breaking a relationship silently: of
/// the records an import did not name, those still in use — referenced by a record of another
/// type, or by a many-to-many link — are kept, each with a warning naming what uses it, as
/// Commerce Layer's integrity lock keeps them. The others go, and with each the records it
/// *owns*: those whose required belongs-to relationship is the inverse of one of its has-many
/// relationships and part of their natural key (a price's tiers, a SKU's prices and stock
/// items, an order's line items), and its own many-to-many links. An owned record still in use
/// keeps its owner.
struct RecordCleanup {
    let catalog: ResourceCatalog
    let db: GRDB.Database

    /// A record kept, and why.
    struct Kept {
        /// The record's natural key (its id when the key is not its own attributes).
        var key: String
        /// What still uses it: `is still used by 200 customers and 1 market; it was kept`.
        var message: String
    }

    /// One way records of another type, or links, point at records of a type.
    struct Reference {
        /// The table holding the pointers.
        let table: String
        /// The column that points.
        let column: String
        /// The type of the records (or link owners) that point.
        let from: ResourceType
        /// Whether the records pointing are owned by the one they point at.
        let owned: Bool
    }

    /// What uses a record, counted by kind: `200 customers`, `3 line items through its prices`.
    private struct Use {
        var noun: String
        var count: Int
    }

    /// Every way records point at records of `type`.
    func references(to type: ResourceType) -> [Reference] {
        var result: [Reference] = []
        for other in catalog.types {
            for relationship in other.belongsTo where relationship.target == type.name {
                guard let column = relationship.foreignKey else { continue }
                let inverse = type.relationships.contains {
                    if case .hasMany(let name) = $0.kind { $0.target == other.name && name == relationship.name } else { false }
                }
                let inKey: Bool = if case .parts(let parts) = other.naturalKey { parts.contains(.relationship(relationship.name)) } else { false }
                result.append(Reference(table: other.name, column: column, from: other, owned: relationship.isRequired && inverse && inKey))
            }
            for relationship in other.relationships where relationship.target == type.name {
                if case .manyToMany(let joinTable, _, let targetKey) = relationship.kind {
                    result.append(Reference(table: joinTable, column: targetKey, from: other, owned: false))
                }
            }
        }
        return result
    }

    /// Deletes the records of `type` whose ids temp table `doomed` lists, less those in use, with
    /// what they own; returns how many records of `type` went, and those kept.
    func run(_ type: ResourceType, doomed: String) throws -> (destroyed: Int, kept: [Kept]) {
        let uses = try uses(of: type, doomed: doomed, depth: 0)
        try db.execute(sql: "DROP TABLE IF EXISTS temp.ferry_kept")
        try db.execute(sql: "CREATE TEMP TABLE ferry_kept (id TEXT PRIMARY KEY)")
        let keptIDs = uses.keys.sorted()
        for chunk in stride(from: 0, to: keptIDs.count, by: 500) {
            let slice = Array(keptIDs[chunk..<min(keptIDs.count, chunk + 500)])
            try db.execute(
                sql: "INSERT INTO temp.ferry_kept (id) VALUES " + Array(repeating: "(?)", count: slice.count).joined(separator: ","),
                arguments: StatementArguments(slice))
        }
        try db.execute(sql: "DELETE FROM temp.\(doomed) WHERE id IN (SELECT id FROM temp.ferry_kept)")
        let ids = "SELECT id FROM temp.\(doomed)"
        try deleteOwned(by: type, ids: ids)
        try db.execute(sql: "DELETE FROM \(quoted(type.name)) WHERE id IN (\(ids))")
        let destroyed = db.changesCount
        let keys = try self.keys(type, ids: keptIDs)
        let kept = keptIDs.map { id in
            Kept(key: keys[id] ?? id, message: "is still used by \(Self.list(uses[id] ?? [])); it was kept, not deleted")
        }
        try db.execute(sql: "DROP TABLE IF EXISTS temp.ferry_kept")
        return (destroyed, kept)
    }

    /// By id, what uses each record of `type` listed in temp table `doomed` (directly, or through
    /// the records it owns).
    private func uses(of type: ResourceType, doomed: String, depth: Int) throws -> [String: [Use]] {
        var uses: [String: [Use]] = [:]
        for reference in references(to: type) {
            if reference.owned {
                guard depth < 4 else { continue }
                let children = "ferry_doomed_\(depth + 1)"
                try db.execute(sql: "DROP TABLE IF EXISTS temp.\(children)")
                try db.execute(sql: """
                    CREATE TEMP TABLE \(children) AS SELECT id, \(quoted(reference.column)) AS owner FROM \(quoted(reference.table))
                    WHERE \(quoted(reference.column)) IN (SELECT id FROM temp.\(doomed))
                    """)
                let inner = try self.uses(of: reference.from, doomed: children, depth: depth + 1)
                if !inner.isEmpty {
                    let owners = try Row.fetchAll(db, sql: "SELECT id, owner FROM temp.\(children)")
                    for row in owners {
                        let child: String = row[0], owner: String = row[1]
                        for use in inner[child] ?? [] {
                            Self.add(Use(noun: "\(use.noun) (through its \(reference.from.name.replacingOccurrences(of: "_", with: " ")))", count: use.count), to: &uses[owner, default: []])
                        }
                    }
                }
                try db.execute(sql: "DROP TABLE IF EXISTS temp.\(children)")
            } else {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(quoted(reference.column)), count(*) FROM \(quoted(reference.table))
                    WHERE \(quoted(reference.column)) IN (SELECT id FROM temp.\(doomed)) GROUP BY \(quoted(reference.column))
                    """)
                for row in rows {
                    let id: String = row[0], count: Int = row[1]
                    let noun = (count == 1 ? reference.from.singular : reference.from.name).replacingOccurrences(of: "_", with: " ")
                    Self.add(Use(noun: noun, count: count), to: &uses[id, default: []])
                }
            }
        }
        return uses
    }

    private static func add(_ use: Use, to uses: inout [Use]) {
        if let i = uses.firstIndex(where: { $0.noun == use.noun }) { uses[i].count += use.count } else { uses.append(use) }
    }

    /// `200 customers and 1 market`.
    private static func list(_ uses: [Use]) -> String {
        let items = uses.map { "\($0.count) \($0.noun)" }
        guard items.count > 1 else { return items.first ?? "other records" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// Deletes what the records `ids` (a subquery) of `type` own, and their many-to-many links.
    private func deleteOwned(by type: ResourceType, ids: String) throws {
        for reference in references(to: type) where reference.owned {
            let children = "SELECT id FROM \(quoted(reference.table)) WHERE \(quoted(reference.column)) IN (\(ids))"
            try deleteOwned(by: reference.from, ids: children)
            try db.execute(sql: "DELETE FROM \(quoted(reference.table)) WHERE \(quoted(reference.column)) IN (\(ids))")
        }
        for relationship in type.relationships {
            if case .manyToMany(let joinTable, let ownKey, _) = relationship.kind {
                try db.execute(sql: "DELETE FROM \(quoted(joinTable)) WHERE \(quoted(ownKey)) IN (\(ids))")
            }
        }
    }

    /// The natural keys of records `ids` of `type`, when its key is made of its own attributes.
    private func keys(_ type: ResourceType, ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty, case .parts(let parts) = type.naturalKey else { return [:] }
        let columns = parts.compactMap { part -> String? in if case .attribute(let name) = part { name } else { nil } }
        guard columns.count == parts.count else { return [:] }
        let key = columns.map { "coalesce(CAST(\(quoted($0)) AS TEXT), '')" }.joined(separator: " || '/' || ")
        var result: [String: String] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[chunk..<min(ids.count, chunk + 500)])
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT id, \(key) FROM \(quoted(type.name)) WHERE id IN (\(marks))", arguments: StatementArguments(slice)) {
                result[row[0]] = row[1]
            }
        }
        return result
    }
}
