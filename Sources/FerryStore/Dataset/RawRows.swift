import FerryCore
import GRDB
import GRDBSQLite

/// Steps a prepared statement with SQLite's C API and reads columns straight into ``Value``s.
///
/// This is the read path of exports, which touches every column of every record: going through
/// GRDB's generic `Row` decoding costs more there than the query itself.
enum RawRows {
    /// Runs `sql` with `arguments` and calls `body` with the statement positioned on each row.
    static func forEach(_ db: GRDB.Database, sql: String, arguments: StatementArguments, _ body: (OpaquePointer) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            try body(raw)
        }
    }

    /// A column as a value of an attribute type (the same mapping as `Value(databaseValue:as:)`).
    @inline(__always)
    static func value(_ statement: OpaquePointer, _ column: Int32, as type: AttributeType) -> Value {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            let i = sqlite3_column_int64(statement, column)
            switch type {
            case .boolean: return .bool(i != 0)
            case .float: return .double(Double(i))
            default: return .int(i)
            }
        case SQLITE_FLOAT:
            return .double(sqlite3_column_double(statement, column))
        default:
            let text = self.text(statement, column)
            switch type {
            case .datetime: return Timestamp(iso8601: text).map(Value.timestamp) ?? .string(text)
            case .object, .array: return (try? JSONParser.parse(text)).map(Value.json) ?? .string(text)
            default: return .string(text)
            }
        }
    }

    /// A column's text.
    @inline(__always)
    static func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}
