import FerryCore
import GRDB
import GRDBSQLite

/// Steps a prepared statement with SQLite's C API and reads columns straight into ``Value``s.
///
/// This is the read path of exports, which touches every column of every record: going through
/// GRDB's generic `Row` decoding costs more there than the query itself.
enum RawRows {
    /// Runs `sql` with `arguments` and calls `body` with the statement positioned on each row.
    /// With `cached`, the statement is prepared once per connection: for SQL whose text repeats
    /// (a keyset page, a job by id), where preparing would cost more than running it.
    static func forEach(_ db: GRDB.Database, sql: String, arguments: StatementArguments, cached: Bool = false, _ body: (OpaquePointer) throws -> Void) throws {
        let statement = cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
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

    /// Binds values to a prepared statement with SQLite's C API and runs it once.
    static func execute(_ statement: Statement, values: [Value], db: GRDB.Database) throws {
        try execute(statement, db: db) { raw in
            for (i, value) in values.enumerated() { bind(raw, Int32(i + 1), value) }
        }
    }

    /// Runs a prepared statement once, after `bind` has bound all of its parameters with
    /// ``bind(_:_:_:)`` (values left from an earlier run are not cleared).
    static func execute(_ statement: Statement, db: GRDB.Database, bind: (OpaquePointer) -> Void) throws {
        let raw = statement.sqliteStatement
        // Reset, but bindings are not cleared: `bind` sets every parameter each time, and a
        // parameter keeps its buffer from one run to the next (clearing would free every text
        // parameter's copy only for SQLite to allocate it again).
        defer { sqlite3_reset(raw) }
        bind(raw)
        let code = sqlite3_step(raw)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }

    /// Binds one value at a 1-based parameter position; text is copied by SQLite.
    @inline(__always)
    static func bind(_ raw: OpaquePointer, _ position: Int32, _ value: Value) {
        switch value {
        case .null: sqlite3_bind_null(raw, position)
        case .bool(let b): sqlite3_bind_int64(raw, position, b ? 1 : 0)
        case .int(let n): sqlite3_bind_int64(raw, position, n)
        case .double(let d): sqlite3_bind_double(raw, position, d)
        case .string(let s): bindText(raw, position, s)
        case .timestamp(let t):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(24)
            t.appendISO8601(to: &bytes)
            bytes.withUnsafeBufferPointer { buffer in
                _ = sqlite3_bind_text(raw, position, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(buffer.count), sqliteTransient)
            }
        case .json, .record, .records:
            guard case .string(let text) = value.databaseValue.storage else {
                sqlite3_bind_null(raw, position)
                return
            }
            bindText(raw, position, text)
        }
    }

    /// Binds text, copied by SQLite.
    static func bindText(_ raw: OpaquePointer, _ position: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                _ = sqlite3_bind_text(raw, position, "", 0, sqliteTransient)
                return
            }
            _ = sqlite3_bind_text(raw, position, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buffer.count), sqliteTransient)
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

/// SQLite's `SQLITE_TRANSIENT`: the library copies the bound bytes before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
