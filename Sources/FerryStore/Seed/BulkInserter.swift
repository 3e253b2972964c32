import FerryCore
import GRDB
import GRDBSQLite

/// Inserts rows into one table through a single prepared statement, binding values with
/// SQLite's C API: the hot path of seeding millions of rows, where a per-value allocation shows.
///
/// Use it inside a write transaction; rows are given as values in ``columns`` order.
final class BulkInserter {
    /// The table written.
    let table: String
    /// The columns written, in binding order.
    let columns: [String]
    private let statement: OpaquePointer
    private let connection: OpaquePointer
    private let columnIndex: [String: Int]
    /// The values of the row being built, reset after each insert.
    private(set) var row: [SQLiteValue]
    /// The rows inserted so far.
    private(set) var count = 0

    /// Prepares an insert into `table`.
    init(_ db: GRDB.Database, table: String, columns: [String]) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(message: "the connection is closed") }
        self.connection = connection
        self.table = table
        self.columns = columns
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let sql = "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES (\(marks))"
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.statement = statement
        self.columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        self.row = Array(repeating: .null, count: columns.count)
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Sets a column of the current row.
    subscript(column: String) -> SQLiteValue {
        get { row[columnIndex[column]!] }
        set {
            guard let i = columnIndex[column] else { preconditionFailure("\(table) has no column \(column)") }
            row[i] = newValue
        }
    }

    /// Inserts the current row and starts a new, all-null one.
    func insertRow() throws {
        for (i, value) in row.enumerated() {
            let position = Int32(i + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, position)
            case .int(let v): sqlite3_bind_int64(statement, position, v)
            case .double(let v): sqlite3_bind_double(statement, position, v)
            case .text(let v): RawRows.bindText(statement, position, v)
            }
        }
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)),
                sql: "INSERT INTO \(table)")
        }
        for i in row.indices { row[i] = .null }
        count += 1
    }
}

/// A value bound to an insert statement.
enum SQLiteValue: Sendable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// A boolean as SQLite stores it.
    static func bool(_ value: Bool) -> SQLiteValue { .int(value ? 1 : 0) }
    /// A timestamp as Ferry stores it.
    static func timestamp(_ value: Timestamp) -> SQLiteValue { .text(value.iso8601) }
    /// A JSON document as Ferry stores it.
    static func json(_ value: JSONValue) -> SQLiteValue { .text(value.jsonText) }
    /// Text, or null when absent.
    static func text(_ value: String?) -> SQLiteValue { value.map(SQLiteValue.text) ?? .null }
}
