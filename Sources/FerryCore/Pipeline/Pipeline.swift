/// A runnable pipeline: one source, filters and transforms in order, one sink.
public struct Pipeline: Sendable {
    /// The pipeline's name, for logs and progress.
    public var name: String
    /// Where records come from.
    public var source: any SourceStage
    /// Filters and transforms, applied in order to every batch.
    public var stages: [any RecordStage]
    /// Where records go.
    public var sink: any SinkStage
    /// Records per batch.
    public var batchSize: Int

    /// The default batch size.
    public static let defaultBatchSize = 1000

    /// Creates a pipeline.
    public init(name: String, source: any SourceStage, stages: [any RecordStage] = [], sink: any SinkStage, batchSize: Int = Pipeline.defaultBatchSize) {
        self.name = name
        self.source = source
        self.stages = stages
        self.sink = sink
        self.batchSize = max(1, batchSize)
    }
}

/// Progress of a run, reported after every committed batch.
public struct PipelineProgress: Sendable {
    /// Records read from the source.
    public var recordsIn: Int
    /// Records committed by the sink.
    public var recordsOut: Int
    /// The source's estimate of its total, if any.
    public var estimatedTotal: Int?
    /// Seconds since the run (or resume) started.
    public var elapsed: Double
    /// Records read per second in this run.
    public var rate: Double
    /// Seconds left at the current rate, when the total is known.
    public var remaining: Double?

    /// Completion in percent (0–100), when the total is known.
    public var percent: Double? {
        guard let estimatedTotal else { return nil }
        guard estimatedTotal > 0 else { return 100 }
        return min(100, Double(recordsIn) * 100 / Double(estimatedTotal))
    }
}

/// Receives a run's progress and checkpoints.
public protocol PipelineObserver: Sendable {
    /// Called after every committed batch.
    func progress(_ progress: PipelineProgress) async
    /// Called after every committed batch with the state to resume from; throwing stops the run.
    func checkpoint(_ checkpoint: Checkpoint) async throws
}

extension PipelineObserver {
    public func progress(_ progress: PipelineProgress) async {}
    public func checkpoint(_ checkpoint: Checkpoint) async throws {}
}

/// An observer that ignores everything.
public struct SilentObserver: PipelineObserver {
    /// Creates the observer.
    public init() {}
}

/// The outcome of a completed run.
public struct PipelineResult: Sendable {
    /// Records read from the source (across resumes).
    public var recordsIn: Int
    /// Records committed by the sink (across resumes).
    public var recordsOut: Int
    /// What the sink produced.
    public var sink: SinkSummary
    /// Seconds this run took.
    public var elapsed: Double
}
