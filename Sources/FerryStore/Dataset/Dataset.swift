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

    /// How a dataset is opened.
    public enum Access: Hashable, Sendable {
        /// Created and migrated if needed, under the cross-process lock: needs a writable folder.
        case readWrite
        /// Only read, with no lock and nothing written, so that it works in a read-only data
        /// directory: for commands that only read (`export`, `counts`). A dataset that does not
        /// exist yet, or was made by an earlier catalog and needs upgrading, is opened
        /// `readWrite` instead (which says so if the folder cannot be written).
        case readOnly
    }

    /// Opens (creating and migrating if needed, unless `access` is `readOnly`) the dataset of
    /// `mode` in a data directory.
    /// With `createIfMissing` false, a dataset whose file does not exist is not made: the
    /// opening fails with ``DatasetAccessError/missing(directory:mode:otherModes:)``, so that a
    /// mistyped data directory is reported rather than silently filled with an empty dataset.
    public convenience init(mode: DatasetMode, directory: DataDirectory, catalog: ResourceCatalog = .commerce, access: Access = .readWrite,
                            createIfMissing: Bool = true) throws {
        let url = directory.databaseURL(for: mode)
        if !createIfMissing, !FileManager.default.fileExists(atPath: url.path) {
            throw DatasetAccessError.missing(directory: directory.url.path, mode: mode, otherModes: directory.existingModes.filter { $0 != mode })
        }
        if access == .readWrite || !FileManager.default.fileExists(atPath: url.path) {
            try Self.createFolder(directory.url, purpose: Self.purpose(mode, url))
        }
        try self.init(mode: mode, url: url, catalog: catalog, access: access)
    }

    /// Opens (creating and migrating if needed, unless `access` is `readOnly`) a dataset at an
    /// explicit file.
    public init(mode: DatasetMode, url: URL, catalog: ResourceCatalog = .commerce, access: Access = .readWrite) throws {
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
        let schema = self.schema
        if access == .readOnly, FileManager.default.fileExists(atPath: url.path),
           let pool = try Self.openReadOnly(url, configuration: configuration, schema: schema) {
            self.pool = pool
            return
        }
        // Openers of one file at once (a server and a CLI command, or two pools in one process)
        // must not race to switch it to WAL or to apply a migration: hold a lock across processes.
        let purpose = Self.purpose(mode, url)
        pool = try Self.withFileLock(url.path + ".migrate-lock", purpose: purpose) {
            do {
                let pool = try DatabasePool(path: url.path, configuration: configuration)
                try DatasetMigrations.migrate(pool, schema: schema)
                return pool
            } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM].contains(error.resultCode) {
                throw DatasetAccessError.unwritable(path: url.path, reason: error.message ?? "\(error.resultCode)", purpose: purpose)
            }
        }
    }

    /// The dataset opened read-only, with no lock and nothing written, or nil when it must be
    /// opened for writing first (made by an earlier catalog). In a folder this process cannot
    /// write, with no WAL file beside the database (nobody is writing it), SQLite cannot make the
    /// WAL index it reads through: the database is then opened `immutable`, read as the file is.
    static func openReadOnly(_ url: URL, configuration: Configuration, schema: CatalogSchema) throws -> DatabasePool? {
        var configuration = configuration
        configuration.readonly = true
        configuration.label = (configuration.label ?? "ferry") + ".readonly"
        let folder = url.deletingLastPathComponent().path
        let immutable = access(folder, W_OK) != 0 && !FileManager.default.fileExists(atPath: url.path + "-wal")
        let path = immutable ? "file:\(Self.uriPath(url.path))?immutable=1" : url.path
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            guard try DatasetMigrations.isCurrent(pool, schema: schema) else { return nil }
        } catch let error as DatabaseError {
            throw DatasetAccessError.unreadable(path: url.path, reason: error.message ?? "\(error.resultCode)")
        }
        return pool
    }

    /// What a writable opening is for, in messages.
    static func purpose(_ mode: DatasetMode, _ url: URL) -> String {
        FileManager.default.fileExists(atPath: url.path) ? "opening the \(mode.rawValue) dataset for writing" : "creating the \(mode.rawValue) dataset"
    }

    /// A path escaped for a SQLite `file:` URI.
    static func uriPath(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// Creates a data folder if needed; a typed error with the system's reason when it cannot be.
    static func createFolder(_ url: URL, purpose: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            // The system's reason, from the nearest folder that exists (Foundation's error carries none).
            var ancestor = url.deletingLastPathComponent()
            while !FileManager.default.fileExists(atPath: ancestor.path) && ancestor.path != "/" { ancestor.deleteLastPathComponent() }
            let reason = access(ancestor.path, W_OK | X_OK) != 0
                ? "\(String(cString: strerror(errno))) in \(ancestor.path)" : error.localizedDescription
            throw DatasetAccessError.unwritable(path: url.path, reason: reason, purpose: purpose)
        }
    }

    /// Runs `body` holding an exclusive `flock` on a lock file.
    static func withFileLock<T>(_ path: String, purpose: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DatasetAccessError.unwritable(path: path, reason: String(cString: strerror(errno)), purpose: purpose)
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw DatasetAccessError.unwritable(path: path, reason: String(cString: strerror(errno)), purpose: purpose)
            }
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
