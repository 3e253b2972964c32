import FerryCore
import Synchronization

/// A source of numbered records (`{"n": 0}`, `{"n": 1}`, … and, when `named`, a `name` of
/// `item <n>`), resumable from its position, counting what it has emitted: the stand-in source
/// of the runner and plugin tests.
public struct NumberedSource: SourceStage {
    /// How many records it yields.
    public let total: Int
    /// Whether records carry a `name` besides `n`.
    public let named: Bool
    /// Records emitted so far.
    public let emitted: EmittedCount

    /// Creates a source of `total` records.
    public init(total: Int, named: Bool = false, emitted: EmittedCount = EmittedCount()) {
        self.total = total
        self.named = named
        self.emitted = emitted
    }

    public var resourceType: ResourceType? { nil }
    public var shape: RecordShape? { RecordShape([.init("n")] + (named ? [.init("name")] : [])) }
    public func estimatedCount() async throws -> Int? { total }

    public func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        var n = position.flatMap(Int.init) ?? 0
        while n < total {
            let end = min(total, n + batchSize)
            let records = (n..<end).map { i in
                named ? Record(["n": .int(Int64(i)), "name": .string("item \(i)")]) : Record(["n": .int(Int64(i))])
            }
            emitted.add(records.count)
            n = end
            try await emit(RecordBatch(records: records, position: String(n)))
        }
    }
}

/// A count shared between a source and the test watching it.
public final class EmittedCount: Sendable {
    private let atomic = Atomic<Int>(0)

    /// Starts at zero.
    public init() {}

    /// Adds to the count.
    public func add(_ n: Int) { atomic.add(n, ordering: .relaxed) }

    /// The count.
    public var value: Int { atomic.load(ordering: .relaxed) }
}
