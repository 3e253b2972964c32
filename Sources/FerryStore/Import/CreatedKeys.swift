import FerryCore
import GRDB

/// The natural keys of the records an import created in a table that held no record when the
/// import first wrote to it, while no other connection has committed since.
///
/// Every input is looked up by natural key before it is written, to update rather than duplicate.
/// Into an empty table that lookup finds only what the import itself created; while that holds
/// (the table was empty, and `PRAGMA data_version` says no other connection has written since),
/// a key this import never created needs no lookup. Keys are kept as hashes, in a few bytes
/// each: a hash that matches (a repeated key, or two keys with one hash) is looked up as before.
final class CreatedKeys {
    private var hashes: Set<Int> = []
    private var dataVersion: Int64
    /// Whether the keys are still all the table holds; once false, always false.
    private(set) var isValid: Bool

    private init(dataVersion: Int64, isValid: Bool) {
        self.dataVersion = dataVersion
        self.isValid = isValid
    }

    /// The log for `table`, started empty when the table holds no record, else invalid.
    static func start(_ table: String, db: GRDB.Database) throws -> CreatedKeys {
        let isEmpty = try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(quoted(table)))") ?? true)
        return CreatedKeys(dataVersion: try version(db), isValid: isEmpty)
    }

    /// Checks that no other connection has committed since the log was started; if one has, the
    /// log is no longer valid.
    func revalidate(db: GRDB.Database) throws {
        guard isValid else { return }
        if try Self.version(db) != dataVersion { isValid = false }
    }

    /// Whether the table may hold a record with `key`: false only when certain it does not.
    func mayHold(_ key: [Value]) -> Bool {
        !isValid || hashes.contains(key.hashValue)
    }

    /// Notes a key the import is creating a record with.
    func add(_ key: [Value]) {
        if isValid { hashes.insert(key.hashValue) }
    }

    private static func version(_ db: GRDB.Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? -1
    }
}
