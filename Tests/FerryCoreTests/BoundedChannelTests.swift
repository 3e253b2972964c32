import Synchronization
import Testing
@testable import FerryCore

/// An element that counts how many of its kind are alive.
final class Tracked: Sendable {
    static let live = Atomic<Int>(0)
    let n: Int
    init(_ n: Int) {
        self.n = n
        Self.live.add(1, ordering: .relaxed)
    }
    deinit { Self.live.subtract(1, ordering: .relaxed) }
}

@Suite(.serialized) struct BoundedChannelTests {
    @Test func deliversInOrderAndReleasesWhatWasReceived() async throws {
        let channel = BoundedChannel<Tracked>(capacity: 2)
        let producer = Task {
            for n in 0..<1_000 { try await channel.send(Tracked(n)) }
            channel.finish()
        }
        var expected = 0
        var peakLive = 0
        while let element = try await channel.next() {
            #expect(element.n == expected)
            expected += 1
            peakLive = max(peakLive, Tracked.live.load(ordering: .relaxed))
        }
        try await producer.value
        #expect(expected == 1_000)
        // In hand, in the buffer, and one the producer is holding or waiting to send.
        #expect(peakLive <= 2 + 3, "received elements must not be kept alive: peak \(peakLive)")
    }

    @Test func finishWithAnErrorReachesTheReceiverAfterTheBufferedElements() async throws {
        struct Failure: Error {}
        let channel = BoundedChannel<Int>(capacity: 4)
        try await channel.send(1)
        channel.finish(throwing: Failure())
        #expect(try await channel.next() == 1)
        await #expect(throws: Failure.self) { _ = try await channel.next() }
    }

    @Test func cancelFailsAWaitingSender() async throws {
        let channel = BoundedChannel<Int>(capacity: 1)
        try await channel.send(1)
        let blocked = Task { try await channel.send(2) }
        channel.cancel()
        await #expect(throws: CancellationError.self) { try await blocked.value }
    }
}

// In the serialized suite of the other tests counting `Tracked` instances.
extension BoundedChannelTests {
    /// A runner's spent batches: what the sink's loop hands over stays alive until the stages' task frees it, then is gone.
    @Test func spentBatchesAreHeldUntilFreed() {
        let spent = SpentBatches()
        let before = Tracked.live.load(ordering: .relaxed)
        for n in 0..<3 {
            var batch = RecordBatch(records: [Record()])
            batch.setPrepared(Tracked(n))
            spent.hand(batch)
        }
        #expect(Tracked.live.load(ordering: .relaxed) == before + 3)
        spent.free()
        #expect(Tracked.live.load(ordering: .relaxed) == before)
        spent.free()
        #expect(Tracked.live.load(ordering: .relaxed) == before)
    }
}
