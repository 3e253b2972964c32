/// Runs pipelines: the source, the record stages and the sink work concurrently, linked by
/// bounded channels, so reading the next batch overlaps encoding and compressing the previous
/// one while the records in flight stay bounded. A ``PreparingSinkStage`` has each batch
/// prepared on the record stages' task, ahead of its writes.
///
/// After each batch the sink commits, the runner hands the observer a ``Checkpoint``; a run
/// started from it produces exactly the output an uninterrupted run would have produced.
/// Cancelling the calling task stops every stage within a batch and aborts the sink.
public struct PipelineRunner: Sendable {
    /// Batches each channel may hold between two stages.
    public var channelCapacity: Int

    /// Creates a runner.
    public init(channelCapacity: Int = 2) {
        self.channelCapacity = channelCapacity
    }

    /// Runs a pipeline to completion, from the start or from a checkpoint.
    public func run(_ pipeline: Pipeline, from checkpoint: Checkpoint? = nil, observer: some PipelineObserver = SilentObserver()) async throws -> PipelineResult {
        let clock = ContinuousClock()
        let start = clock.now
        let total = try await pipeline.source.estimatedCount()
        if let checkpoint {
            for (index, stage) in pipeline.stages.enumerated() {
                if let state = checkpoint.stageStates[String(index)] { try await stage.restore(state) }
            }
        }
        var shape = pipeline.source.shape
        for stage in pipeline.stages { shape = stage.outputShape(for: shape) }
        try await pipeline.sink.open(shape: shape, resumingFrom: checkpoint?.sinkState)

        let read = BoundedChannel<RecordBatch>(capacity: channelCapacity)
        let processed = BoundedChannel<RecordBatch>(capacity: channelCapacity)
        // The sink's task is usually the slowest: it hands each written batch back, and the
        // stages' task frees it (every record, value and prepared input of it) between batches.
        let spent = SpentBatches()
        let baseIn = checkpoint?.recordsIn ?? 0
        var recordsOut = checkpoint?.recordsOut ?? 0
        var recordsIn = baseIn
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        var count = baseIn
                        try await pipeline.source.read(from: checkpoint?.sourcePosition, batchSize: pipeline.batchSize) { batch in
                            try Task.checkCancellation()
                            count += batch.records.count
                            var counted = batch
                            counted.sourceCount = count
                            try await read.send(counted)
                        }
                        read.finish()
                    } catch {
                        read.finish(throwing: error)
                        throw error
                    }
                }
                let preparingSink = pipeline.sink as? any PreparingSinkStage
                group.addTask {
                    do {
                        while var batch = try await read.next() {
                            spent.free()
                            for (index, stage) in pipeline.stages.enumerated() {
                                batch.records = try await stage.process(batch.records)
                                if let state = await stage.checkpointState() { batch.stageStates[String(index)] = state }
                            }
                            if let preparingSink { batch.setPrepared(try await preparingSink.prepareErased(batch.records)) }
                            try await processed.send(batch)
                        }
                        processed.finish()
                    } catch {
                        processed.finish(throwing: error)
                        throw error
                    }
                }
                while let batch = try await processed.next() {
                    try Task.checkCancellation()
                    if let prepared = batch.prepared, let preparingSink {
                        try await preparingSink.writeErased(prepared)
                    } else {
                        try await pipeline.sink.write(batch.records)
                    }
                    recordsOut += batch.count
                    recordsIn = batch.sourceCount
                    let position = batch.position, stageStates = batch.stageStates
                    spent.hand(batch)
                    if let sinkState = try await pipeline.sink.commit() {
                        try await observer.checkpoint(Checkpoint(
                            sourcePosition: position, sinkState: sinkState, recordsIn: recordsIn,
                            recordsOut: recordsOut, stageStates: stageStates))
                    }
                    let elapsed = Self.seconds(clock.now - start)
                    let rate = Double(recordsIn - baseIn) / max(elapsed, 0.000_001)
                    let remaining = total.map { rate > 0 ? Double(max(0, $0 - recordsIn)) / rate : 0 }
                    await observer.progress(PipelineProgress(
                        recordsIn: recordsIn, recordsOut: recordsOut, estimatedTotal: total, elapsed: elapsed,
                        rate: rate, remaining: remaining))
                }
                try await group.waitForAll()
            }
        } catch {
            read.cancel()
            processed.cancel()
            await pipeline.sink.abort()
            throw error
        }
        let summary = try await pipeline.sink.close()
        return PipelineResult(recordsIn: recordsIn, recordsOut: recordsOut, sink: summary, elapsed: Self.seconds(clock.now - start))
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
