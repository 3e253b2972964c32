import FerryCore
import Foundation

/// How the worker pool runs jobs.
public struct JobConfiguration: Sendable {
    /// Jobs run at once, across modes and kinds.
    public var workers: Int
    /// Exports running at once per mode; others wait `pending` (SPEC §2: default 10).
    public var exportsPerMode: Int
    /// Imports running at once per mode.
    public var importsPerMode: Int
    /// Seconds a claimed job stays held without a heartbeat before another worker may take it.
    public var leaseSeconds: Double
    /// How often a running job renews its lease and checks it has not been interrupted elsewhere.
    public var heartbeat: Duration
    /// How often an idle worker looks for queued jobs.
    public var pollInterval: Duration
    /// The least time between two progress writes of a running job (checkpoints are always written).
    public var progressInterval: Duration
    /// Records per batch.
    public var batchSize: Int
    /// Encoded bytes an export buffers before a write and a checkpoint (nil: the sink's default).
    public var flushBytes: Int?
    /// Threads on which jobs run, apart from Swift's cooperative pool and the threads that serve
    /// requests (see `ThreadPoolExecutor`).
    public var threads: Int
    /// What a worker does with its job when it is cancelled (shutdown).
    public var onCancel: CancelBehaviour
    /// Called after each checkpoint of a running job is stored, with the job's kind and id. It
    /// lets an embedder observe or pace jobs; throwing stops the job as a failure.
    public var afterCheckpoint: (@Sendable (JobKind, String, Checkpoint) async throws -> Void)?
    /// Where jobs report their counts, durations and heartbeats.
    public var metrics: JobMetrics

    /// What becomes of a running job when its worker is cancelled.
    public enum CancelBehaviour: Sendable {
        /// Put it back in the queue (`pending`) with its checkpoint: graceful shutdown.
        case requeue
        /// Leave it `in_progress` under the lapsing lease, as a killed process would.
        case abandon
    }

    /// Creates a configuration; the defaults suit a server.
    public init(
        workers: Int = 2, exportsPerMode: Int = 10, importsPerMode: Int = 10, leaseSeconds: Double = 30,
        heartbeat: Duration = .seconds(5), pollInterval: Duration = .milliseconds(250),
        progressInterval: Duration = .milliseconds(500), batchSize: Int = 1000, flushBytes: Int? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, onCancel: CancelBehaviour = .requeue,
        afterCheckpoint: (@Sendable (JobKind, String, Checkpoint) async throws -> Void)? = nil,
        metrics: JobMetrics = JobMetrics()
    ) {
        self.workers = max(1, workers)
        self.exportsPerMode = max(1, exportsPerMode)
        self.importsPerMode = max(1, importsPerMode)
        self.leaseSeconds = leaseSeconds
        self.heartbeat = heartbeat
        self.pollInterval = pollInterval
        self.progressInterval = progressInterval
        self.batchSize = batchSize
        self.flushBytes = flushBytes
        self.threads = max(1, threads)
        self.onCancel = onCancel
        self.afterCheckpoint = afterCheckpoint
        self.metrics = metrics
    }
}
