import GRDB
import Synchronization

/// Totals of list queries, kept until the database changes: a list page asks for its query's
/// total every time, and on a large table counting costs ten times the page itself.
///
/// Changes are noticed with `PRAGMA data_version`, which tells a connection whether any *other*
/// connection — this process's writer or another process — committed since it last asked. Read
/// connections never write, so each asks before it counts, and the first to notice a commit moves
/// the cache to a new generation, which drops every total taken before. A connection's first
/// question counts as a change (it has nothing to compare with).
final class RecordCountCache: Sendable {
    private struct Key: Hashable {
        var sql: String
        var arguments: [DatabaseValue]
    }

    private struct State {
        var generation = 0
        var totals: [Key: (total: Int, generation: Int)] = [:]
        var versions: [ObjectIdentifier: Int64] = [:]
    }

    /// Totals kept at most; past it the cache starts again (list queries repeat, so few are kept).
    static let capacity = 512
    private let state = Mutex(State())

    /// Creates an empty cache.
    init() {}

    /// Forgets what a connection last saw, when it is opened (a new connection may reuse a closed
    /// one's identity).
    func connectionOpened(_ db: GRDB.Database) {
        let connection = ObjectIdentifier(db)
        state.withLock { _ = $0.versions.removeValue(forKey: connection) }
    }

    /// The total `sql` (a `SELECT count(*)`) gives with `arguments`, counted on `db` unless a total
    /// taken since the last commit is known.
    func total(_ db: GRDB.Database, sql: String, arguments: [DatabaseValue]) throws -> Int {
        let version = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        let connection = ObjectIdentifier(db)
        let key = Key(sql: sql, arguments: arguments)
        let (generation, known) = state.withLock { state -> (Int, Int?) in
            if state.versions[connection] != version {
                state.versions[connection] = version
                state.generation += 1
            }
            let entry = state.totals[key]
            return (state.generation, entry?.generation == state.generation ? entry?.total : nil)
        }
        if let known { return known }
        let total = try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
        state.withLock { state in
            if state.totals.count >= Self.capacity { state.totals.removeAll(keepingCapacity: true) }
            state.totals[key] = (total, generation)
        }
        return total
    }
}
