/// The four kinds of stage a pipeline is made of (SPEC §6).
public enum StageKind: String, Hashable, Sendable, CaseIterable {
    /// Yields batches of records.
    case source
    /// Drops records.
    case filter
    /// Reshapes records.
    case transform
    /// Consumes records and produces an artifact or writes a dataset.
    case sink
}

/// A stage that yields records in batches.
public protocol SourceStage: Sendable {
    /// The resource type the records are, when the source knows it; later stages use it to
    /// validate filters, includes and fields.
    var resourceType: ResourceType? { get }
    /// The fields records will have, when known before reading.
    var shape: RecordShape? { get }
    /// How many records the source will yield, when it can tell cheaply; drives progress and ETA.
    func estimatedCount() async throws -> Int?
    /// Reads from `position` (nil: the start), handing each batch to `emit`, which suspends while
    /// later stages are busy. Each batch carries the position to resume after it.
    func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws
}

/// A stage that takes a batch of records and returns a batch: a filter (drops records) or a
/// transform (reshapes them).
public protocol RecordStage: Sendable {
    /// The shape of the records this stage returns, given the shape it receives.
    func outputShape(for input: RecordShape?) -> RecordShape?
    /// Processes one batch.
    func process(_ records: [Record]) async throws -> [Record]
    /// State to carry across a resume (a `limit`'s count), taken after each committed batch.
    func checkpointState() async -> String?
    /// Restores the state a checkpoint carried.
    func restore(_ state: String) async throws
}

extension RecordStage {
    public func outputShape(for input: RecordShape?) -> RecordShape? { input }
    public func checkpointState() async -> String? { nil }
    public func restore(_ state: String) async throws {}
}

/// A stage that consumes records.
public protocol SinkStage: Sendable {
    /// Opens the sink for records of `shape`; `state` is the sink state of a checkpoint to resume
    /// from (nil: start afresh, discarding any earlier output).
    func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws
    /// Writes one batch.
    func write(_ records: [Record]) async throws
    /// Called after every batch. Either makes everything written so far durable and returns the
    /// state to resume from, or returns nil to keep buffering (a compressor wants larger chunks);
    /// the runner checkpoints only after a commit that returned a state.
    func commit() async throws -> [String: String]?
    /// Finishes the output.
    func close() async throws -> SinkSummary
    /// Gives up after a failure or cancellation, leaving the output resumable where possible.
    func abort() async
}

/// What a sink produced.
public struct SinkSummary: Hashable, Sendable {
    /// Records written.
    public var recordsWritten: Int
    /// Where the output went (a file path, `stdout`, a dataset), if anywhere.
    public var destination: String?
    /// Bytes written, when the output is a byte stream.
    public var bytesWritten: Int?
    /// Sink-specific counters (created, updated, errors, …).
    public var counters: [String: Int]
    /// Sink-specific details (an import's errors log, a digest).
    public var details: [String: JSONValue]

    /// Creates a summary.
    public init(recordsWritten: Int, destination: String? = nil, bytesWritten: Int? = nil, counters: [String: Int] = [:], details: [String: JSONValue] = [:]) {
        self.recordsWritten = recordsWritten
        self.destination = destination
        self.bytesWritten = bytesWritten
        self.counters = counters
        self.details = details
    }
}
