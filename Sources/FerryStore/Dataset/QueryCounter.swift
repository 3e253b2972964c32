import Synchronization

/// Counts the SQL statements a dataset runs: what tests use to prove that loading includes takes
/// a bounded number of queries (never one per record). Off until ``isEnabled`` is set, because
/// reading each statement's text costs more than many of the statements themselves.
public final class QueryCounter: Sendable {
    private let count = Atomic<Int>(0)
    private let enabled = Atomic<Bool>(false)

    /// Creates a counter at zero.
    public init() {}

    /// Whether statements are being counted.
    public var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    /// Statements counted so far.
    public var value: Int { count.load(ordering: .relaxed) }

    func increment() {
        count.add(1, ordering: .relaxed)
    }
}
