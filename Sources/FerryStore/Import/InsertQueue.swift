import FerryCore
import GRDB

/// The records of one type a batch creates, held back and written with multi-row `INSERT`s.
///
/// Every row lists all of the type's input columns (what an input leaves out is `NULL`: no
/// column has a default), so all rows of a type share their statements. Rows are written as soon
/// as ``rowsPerStatement`` are waiting, and the rest when the batch asks (``flush(statements:db:)``):
/// one statement per row costs SQLite more in statement set-up and tear-down than the insert
/// itself. A statement that fails (a constraint on one of its rows) is undone whole by SQLite, and
/// its rows are then written one by one, so the failure is laid at the right input and the others
/// still go in.
struct InsertQueue {
    /// A row waiting: the input it comes from, its new id, and its column values (after `id`,
    /// `created_at` and `updated_at`) as the prepared input holds them, foreign keys included.
    /// Binding reads them in place: no array is built per row.
    struct Row {
        var input: Int
        var id: String
        var values: [Value?]
    }

    /// A row that could not be written, and why.
    struct Failure {
        var input: Int
        var id: String
        var refusal: DatabaseRefusal
    }

    /// Rows per statement at most: 64 rows of a wide type stay far below SQLite's bound-parameter limit.
    static let rowsPerStatement = 64

    /// The table written.
    let table: String
    /// The columns every row sets, in order: `id`, `created_at`, `updated_at`, then the slots.
    let columns: [String]
    /// The value of `created_at` and `updated_at`.
    let now: Value
    private var rows: [Row] = []
    /// How many rows were written, and the rows refused.
    private(set) var writtenCount = 0
    private(set) var failures: [Failure] = []

    /// An empty queue for `table`, whose rows set the slots of `writeOrder`, created at `now`.
    init(table: String, writeOrder: [String], now: Value) {
        self.table = table
        self.columns = ["id", "created_at", "updated_at"] + writeOrder
        self.now = now
        rows.reserveCapacity(Self.rowsPerStatement)
    }

    /// Queues a row; writes the waiting rows when there are enough for a full statement.
    mutating func append(_ row: Row, statements: inout InsertStatements, db: GRDB.Database) throws {
        rows.append(row)
        if rows.count >= Self.rowsPerStatement { try flush(statements: &statements, db: db) }
    }

    /// Writes every waiting row.
    mutating func flush(statements: inout InsertStatements, db: GRDB.Database) throws {
        var start = 0
        // A full statement, then the rest in halving sizes: few distinct statements to prepare.
        var size = Self.rowsPerStatement
        while start < rows.count {
            while size > rows.count - start { size /= 2 }
            let chunk = rows[start..<(start + size)]
            let statement = try statements.statement(table: table, columns: columns, rows: size, db: db)
            do {
                try execute(statement, chunk, db: db)
                writtenCount += size
            } catch is DatabaseError where size > 1 {
                for row in chunk { try writeAlone(row, statements: &statements, db: db) }
            } catch let error as DatabaseError {
                failures.append(Failure(input: chunk.first!.input, id: chunk.first!.id, refusal: DatabaseRefusal(error)))
            }
            start += size
        }
        rows.removeAll(keepingCapacity: true)
    }

    private func execute(_ statement: Statement, _ rows: some Collection<Row>, db: GRDB.Database) throws {
        try RawRows.execute(statement, db: db) { raw in
            var position: Int32 = 1
            for row in rows {
                let base = position + 3
                RawRows.bind(raw, position, .string(row.id))
                RawRows.bind(raw, position + 1, now)
                RawRows.bind(raw, position + 2, now)
                for (slot, value) in row.values.enumerated() { RawRows.bind(raw, base + Int32(slot), value ?? .null) }
                position = base + Int32(row.values.count)
            }
        }
    }

    private mutating func writeAlone(_ row: Row, statements: inout InsertStatements, db: GRDB.Database) throws {
        let statement = try statements.statement(table: table, columns: columns, rows: 1, db: db)
        do {
            try execute(statement, CollectionOfOne(row), db: db)
            writtenCount += 1
        } catch let error as DatabaseError {
            failures.append(Failure(input: row.input, id: row.id, refusal: DatabaseRefusal(error)))
        }
    }
}

/// Prepared multi-row `INSERT` statements by table and row count, kept for the whole import: they
/// belong to the dataset's one writer connection, and preparing a 64-row statement costs more
/// than running it.
struct InsertStatements {
    private struct Key: Hashable {
        var table: String
        var rows: Int
    }

    private var statements: [Key: Statement] = [:]
    private var connection: ObjectIdentifier?

    /// The statement inserting `rows` rows of `columns` into `table`.
    mutating func statement(table: String, columns: [String], rows: Int, db: GRDB.Database) throws -> Statement {
        if connection != ObjectIdentifier(db) {
            statements.removeAll()
            connection = ObjectIdentifier(db)
        }
        let key = Key(table: table, rows: rows)
        if let statement = statements[key] { return statement }
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let sql = "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
        let statement = try db.makeStatement(sql: sql)
        statements[key] = statement
        return statement
    }
}
