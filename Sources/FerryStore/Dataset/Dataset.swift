import FerryCore
import Foundation
import GRDB
import Synchronization

/// The dataset of one mode: a SQLite database in WAL mode whose tables come from the catalog.
///
/// A dataset is safe to share between tasks: reads run concurrently, writes are serialised.
public final class Dataset: Sendable {
    /// The dataset's mode.
    public let mode: DatasetMode
    /// The catalog its tables come from.
    public let catalog: ResourceCatalog
    /// The schema laid out from the catalog.
    public let schema: CatalogSchema
    /// The database file.
    public let url: URL
    /// The connection pool.
    public let pool: DatabasePool
    /// Counts every statement the dataset's connections run.
    public let queryCounter = QueryCounter()
    /// List totals, kept until the next commit.
    let listTotals = RecordCountCache()
    /// How a job of each type is read (its layout and `SELECT`), made once: the API reads jobs
    /// on every poll.
    let jobReads = Mutex<[String: JobRead]>([:])

    /// Opens (creating and migrating if needed) the dataset of `mode` in a data directory.
    public convenience init(mode: DatasetMode, directory: DataDirectory, catalog: ResourceCatalog = .commerce) throws {
        try directory.create()
        try self.init(mode: mode, url: directory.databaseURL(for: mode), catalog: catalog)
    }

    /// Opens (creating and migrating if needed) a dataset at an explicit file.
    public init(mode: DatasetMode, url: URL, catalog: ResourceCatalog = .commerce) throws {
        self.mode = mode
        self.catalog = catalog
        self.schema = CatalogSchema(catalog: catalog)
        self.url = url
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "ferry.\(mode.rawValue)"
        // Another process (a CLI import while the server runs) may hold the write lock for a batch.
        configuration.busyMode = .timeout(30)
        let counter = queryCounter
        let totals = listTotals
        configuration.prepareDatabase { db in
            totals.connectionOpened(db)
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer checkpoints the WAL into the database as it commits, each time syncing the
            // file: every 8,000 pages (32 MB) rather than SQLite's 1,000 makes an import's commits
            // about 8% cheaper, for a WAL file of 32 MB at most.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 8000")
            db.add(function: SQLFunctions.jsonContains)
            Dataset.countQueries(on: db, into: counter)
        }
        // Openers of one file at once (a server and a CLI command, or two pools in one process)
        // must not race to switch it to WAL or to apply a migration: hold a lock across processes.
        let schema = self.schema
        pool = try Self.withFileLock(url.path + ".migrate-lock") {
            let pool = try DatabasePool(path: url.path, configuration: configuration)
            try DatasetMigrations.migrate(pool, schema: schema)
            return pool
        }
    }

    /// Runs `body` holding an exclusive `flock` on a lock file.
    static func withFileLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw CocoaError(.fileLocking, userInfo: [NSFilePathErrorKey: path]) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Counts the data statements (not transaction control or pragmas) a connection runs.
    static func countQueries(on db: GRDB.Database, into counter: QueryCounter) {
        db.trace(options: .statement) { event in
            guard counter.isEnabled, case .statement(let statement) = event else { return }
            let sql = statement.sql
            if sql.hasPrefix("SELECT") || sql.hasPrefix("INSERT") || sql.hasPrefix("UPDATE") || sql.hasPrefix("DELETE") {
                counter.increment()
            }
        }
    }

    /// The number of records of each type, in the catalog's dependency order.
    public func recordCounts() throws -> [(type: String, count: Int)] {
        let types = try catalog.dependencyOrder()
        return try pool.read { db in
            try types.map { ($0.name, try Int.fetchOne(db, sql: "SELECT count(*) FROM \(quoted($0.name))") ?? 0) }
        }
    }

    /// The number of rows of each many-to-many join table.
    public func joinTableCounts() throws -> [(table: String, count: Int)] {
        try pool.read { db in
            try schema.joinTables.map { ($0.table, try Int.fetchOne(db, sql: "SELECT count(*) FROM \(quoted($0.table))") ?? 0) }
        }
    }

    /// Whether no catalog table holds a record.
    public func isEmpty() throws -> Bool {
        try recordCounts().allSatisfy { $0.count == 0 }
    }

    /// Foreign keys that point at no record, as SQLite's `foreign_key_check` reports them.
    public func danglingReferences() throws -> [(table: String, rowid: Int64?, parent: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                (row[0], row[1], row[2])
            }
        }
    }
}
