import FerryCore
import GRDB

/// A selection of one type's records: a filter, an optional market scope, read in keyset pages
/// ordered by `id` (never `OFFSET`, so page *n* costs what page 1 costs).
public struct RecordQuery: Sendable {
    /// The type selected.
    public var type: ResourceType
    /// The filter; empty selects every record.
    public var filter: Filter
    /// When set, only records these markets may see.
    public var marketIDs: [String]?

    /// Creates a query.
    public init(type: ResourceType, filter: Filter? = nil, marketIDs: [String]? = nil) {
        self.type = type
        self.filter = filter ?? Filter(resourceType: type.name)
        self.marketIDs = marketIDs
    }

    /// The `WHERE` condition of the query, without paging.
    public func condition(catalog: ResourceCatalog) throws -> SQLFragment {
        var parts = [FilterSQLCompiler(catalog: catalog).condition(for: filter, alias: type.name)]
        if let marketIDs {
            parts.append(try MarketScopeSQL(catalog: catalog).condition(for: type, marketIDs: marketIDs))
        }
        return .and(parts)
    }
}

extension Dataset {
    /// How many records a query selects.
    public func count(_ query: RecordQuery) throws -> Int {
        let condition = try query.condition(catalog: catalog)
        return try pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM \(quoted(query.type.name)) WHERE \(condition.sql)",
                arguments: condition.statementArguments) ?? 0
        }
    }

    /// The next page of a query: up to `limit` records whose id sorts after `cursor`, ordered by
    /// id, typed by the catalog, in the given form (stored columns, or what an export writes).
    public func fetchPage(_ query: RecordQuery, after cursor: String?, limit: Int, form: RecordLayout.Form = .stored) throws -> [Record] {
        try pool.read { db in try fetchPage(db, query, after: cursor, limit: limit, form: form) }
    }

    /// ``fetchPage(_:after:limit:form:)`` inside an open database access.
    public func fetchPage(_ db: GRDB.Database, _ query: RecordQuery, after cursor: String?, limit: Int, form: RecordLayout.Form = .stored) throws -> [Record] {
        var condition = try query.condition(catalog: catalog)
        if let cursor {
            condition = .and([condition, SQLFragment("\(quoted(query.type.name)).\"id\" > ?", [cursor.databaseValue])])
        }
        let layout = RecordLayout(type: query.type, form: form)
        let sql = "SELECT \(layout.selectList(alias: query.type.name)) FROM \(quoted(query.type.name)) WHERE \(condition.sql) ORDER BY \(quoted(query.type.name)).\"id\" LIMIT ?"
        return try layout.records(db, sql: sql, arguments: condition.statementArguments + [limit], cached: true)
    }

    /// The ids of every record a query selects, in id order.
    public func ids(_ query: RecordQuery) throws -> [String] {
        let condition = try query.condition(catalog: catalog)
        return try pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT \"id\" FROM \(quoted(query.type.name)) WHERE \(condition.sql) ORDER BY \"id\"",
                arguments: condition.statementArguments)
        }
    }
}
