import Synchronization

/// Counts the SQL statements a dataset runs: what tests use to prove that loading includes takes
/// a bounded number of queries (never one per record).
public final class QueryCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Creates a counter at zero.
    public init() {}

    /// Statements counted so far.
    public var value: Int { count.load(ordering: .relaxed) }

    func increment() {
        count.add(1, ordering: .relaxed)
    }
}
