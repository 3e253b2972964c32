/// Where a pipeline run stands after a committed batch: enough to restart it and produce exactly
/// the output an uninterrupted run would have produced.
public struct Checkpoint: Hashable, Sendable, Codable {
    /// The source position after the last committed batch.
    public var sourcePosition: String?
    /// The sink's own state (an output byte offset, counters), opaque to the runner.
    public var sinkState: [String: String]
    /// Records read from the source so far.
    public var recordsIn: Int
    /// Records the sink has committed so far.
    public var recordsOut: Int
    /// Per-stage counters carried across a resume (a `limit` filter's count).
    public var stageStates: [String: String]

    /// Creates a checkpoint.
    public init(sourcePosition: String? = nil, sinkState: [String: String] = [:], recordsIn: Int = 0, recordsOut: Int = 0, stageStates: [String: String] = [:]) {
        self.sourcePosition = sourcePosition
        self.sinkState = sinkState
        self.recordsIn = recordsIn
        self.recordsOut = recordsOut
        self.stageStates = stageStates
    }
}
