import FerryCore
import FerryStages
import FerryTestSupport
import Synchronization
import Testing

/// A sink that collects records, optionally slowly, tracking the most records in flight.
actor CollectingSink: SinkStage {
    var records: [Record] = []
    var aborted = false
    var maxInFlight = 0
    let emitted: (@Sendable () -> Int)?
    let delay: Duration

    init(emitted: (@Sendable () -> Int)? = nil, delay: Duration = .zero) {
        self.emitted = emitted
        self.delay = delay
    }

    func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {}
    func write(_ batch: [Record]) async throws {
        if let emitted { maxInFlight = max(maxInFlight, emitted() - records.count) }
        if delay > .zero { try await Task.sleep(for: delay) }  // simulates a slow sink; no test waits on it
        records += batch
    }
    func commit() async throws -> [String: String]? { ["records": String(records.count)] }
    func close() async throws -> SinkSummary { SinkSummary(recordsWritten: records.count) }
    func abort() async { aborted = true }
}

actor CheckpointRecorder: PipelineObserver {
    var checkpoints: [Checkpoint] = []
    var progress: [PipelineProgress] = []
    let failAfter: Int?

    init(failAfter: Int? = nil) { self.failAfter = failAfter }

    func checkpoint(_ checkpoint: Checkpoint) async throws {
        checkpoints.append(checkpoint)
        if let failAfter, checkpoints.count >= failAfter { throw CancellationError() }
    }

    func progress(_ progress: PipelineProgress) async { self.progress.append(progress) }
}

@Suite struct PipelineRunnerTests {
    @Test func keepsOrderAndReportsProgress() async throws {
        let source = NumberedSource(total: 2_500)
        let sink = CollectingSink()
        let observer = CheckpointRecorder()
        let result = try await PipelineRunner().run(Pipeline(name: "t", source: source, sink: sink, batchSize: 100), observer: observer)
        let numbers = await sink.records.map { $0["n"]?.intValue ?? -1 }
        #expect(numbers == (0..<2_500).map(Int64.init))
        #expect(result.recordsIn == 2_500 && result.recordsOut == 2_500)
        let progress = await observer.progress
        #expect(progress.count == 25)
        #expect(progress.last?.percent == 100)
        #expect(await observer.checkpoints.last?.sourcePosition == "2500")
    }

    @Test func aSlowSinkBoundsTheRecordsInFlight() async throws {
        let emitted = EmittedCount()
        let source = NumberedSource(total: 20_000, emitted: emitted)
        let sink = CollectingSink(emitted: { emitted.value }, delay: .milliseconds(1))
        let runner = PipelineRunner(channelCapacity: 2)
        _ = try await runner.run(Pipeline(name: "t", source: source, sink: sink, batchSize: 100))
        // Two channels of two batches, a batch in each of the three tasks' hands, and the one being written.
        let bound = (2 * runner.channelCapacity + 4) * 100
        let peak = await sink.maxInFlight
        #expect(peak <= bound, "peak \(peak) records in flight")
        #expect(await sink.records.count == 20_000)
    }

    @Test func aFailingObserverStopsTheRunAndAbortsTheSink() async throws {
        let emitted = EmittedCount()
        let source = NumberedSource(total: 100_000, emitted: emitted)
        let sink = CollectingSink()
        await #expect(throws: CancellationError.self) {
            _ = try await PipelineRunner().run(Pipeline(name: "t", source: source, sink: sink, batchSize: 100), observer: CheckpointRecorder(failAfter: 3))
        }
        #expect(await sink.aborted)
        #expect(emitted.value < 2_000, "the source stopped within a few batches")
    }

    @Test func cancellationStopsEveryStage() async throws {
        let emitted = EmittedCount()
        let source = NumberedSource(total: 10_000_000, emitted: emitted)
        let sink = CollectingSink(delay: .milliseconds(1))
        let task = Task { try await PipelineRunner().run(Pipeline(name: "t", source: source, sink: sink, batchSize: 100)) }
        let deadline = ContinuousClock.now + .seconds(30)
        while await sink.records.count < 500, ContinuousClock.now < deadline { await Task.yield() }
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(await sink.aborted)
        #expect(emitted.value < 100_000)
    }

    @Test func aLimitResumesWithItsCount() async throws {
        func pipeline(_ sink: CollectingSink) -> Pipeline {
            Pipeline(name: "t", source: NumberedSource(total: 1000), stages: [LimitFilter(count: 250)], sink: sink, batchSize: 100)
        }
        let straight = try await PipelineRunner().run(pipeline(CollectingSink()))
        #expect(straight.recordsOut == 250)
        let interrupted = CheckpointRecorder(failAfter: 2)
        await #expect(throws: CancellationError.self) { _ = try await PipelineRunner().run(pipeline(CollectingSink()), observer: interrupted) }
        let checkpoint = try #require(await interrupted.checkpoints.last)
        #expect(checkpoint.stageStates["0"] == "200")
        let rest = CollectingSink()
        let resumed = try await PipelineRunner().run(pipeline(rest), from: checkpoint)
        #expect(resumed.recordsOut == 250, "the resumed run passes only the 50 the limit had left")
        #expect(await rest.records.map { $0["n"]?.intValue } == (200..<250).map { Int64($0) })
    }
}

/// A sink that prepares each batch into the list of its numbers and, while writing batch *n*,
/// waits (with a deadline) until batch *n + 1* has been prepared: a runner that prepared on the
/// sink's own turn would never get there.
actor OverlappingSink: PreparingSinkStage {
    let prepared = Mutex<Int>(0)
    let batches: Int
    var written: [[Int64]] = []
    var overlapped = 0

    init(batches: Int) { self.batches = batches }

    nonisolated func prepare(_ records: [Record]) async throws -> [Int64] {
        prepared.withLock { $0 += 1 }
        return records.map { $0["n"]?.intValue ?? -1 }
    }

    func write(prepared numbers: [Int64]) async throws {
        let next = min(batches, written.count + 2)
        let deadline = ContinuousClock.now + .seconds(10)
        while prepared.withLock({ $0 }) < next, ContinuousClock.now < deadline { await Task.yield() }
        if prepared.withLock({ $0 }) >= next { overlapped += 1 }
        written.append(numbers)
    }

    func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {}
    func commit() async throws -> [String: String]? { nil }
    func close() async throws -> SinkSummary { SinkSummary(recordsWritten: written.joined().count) }
    func abort() async {}
}

@Suite struct PreparingSinkTests {
    @Test func batchesArePreparedInOrderAheadOfTheirWrites() async throws {
        let sink = OverlappingSink(batches: 10)
        let result = try await PipelineRunner().run(Pipeline(name: "t", source: NumberedSource(total: 1_000), sink: sink, batchSize: 100))
        #expect(result.recordsOut == 1_000 && result.sink.recordsWritten == 1_000)
        #expect(await sink.written.joined().map { $0 } == (0..<1_000).map(Int64.init))
        #expect(await sink.overlapped == 10, "every write found the next batch already prepared")
    }
}
