import FerryCore
import FerryStages
import FerryStore
import Foundation
import Logging
import ServiceLifecycle

/// The workers that run queued export and import jobs of both modes.
///
/// The queue is durable: it is the job tables of each mode's dataset. A worker claims the oldest
/// runnable job under a lease it renews while running, so a job left `in_progress` by a process
/// that died is taken again — at once when that process was on this host, else when its lease
/// lapses. On graceful shutdown running jobs go back to `pending` with their checkpoint and
/// resume at the next start.
public struct JobWorkerPool: Service {
    /// Where datasets and attachments live.
    public let environment: StageEnvironment
    /// How jobs run.
    public let configuration: JobConfiguration
    /// Stops for jobs of this process.
    public let stops: JobStopSignals
    /// This pool's identity, written on the jobs it holds.
    public let identity: WorkerIdentity
    private let builder: JobPipelineBuilder
    private let logger: Logger
    /// Where jobs run. Made here, not in `run()`: threads take the priority of the thread that
    /// starts them, and a server may run its services on lower-priority threads.
    private let threads: ThreadPoolExecutor

    /// Creates a pool running jobs with stages from `registry`.
    public init(environment: StageEnvironment, registry: StageRegistry, configuration: JobConfiguration = JobConfiguration(), stops: JobStopSignals = JobStopSignals(), identity: WorkerIdentity = .current(), logger: Logger = Logger(label: "ferry.jobs")) {
        self.environment = environment
        self.configuration = configuration
        self.stops = stops
        self.identity = identity
        self.builder = JobPipelineBuilder(registry: registry, directory: environment.directory, batchSize: configuration.batchSize, flushBytes: configuration.flushBytes)
        self.logger = logger
        self.threads = ThreadPoolExecutor(name: "ferry-job", count: configuration.threads)
    }

    /// Runs the workers until the task is cancelled or the service group shuts down.
    public func run() async throws {
        for mode in DatasetMode.allCases {
            let dataset = try environment.dataset(mode)
            for kind in JobKind.allCases {
                let released = try dataset.releaseJobs(kind.resourceType, heldBy: identity.isDeadNeighbour)
                if released > 0 { logger.notice("resuming \(released) \(kind.rawValue) of \(mode.rawValue) left running by a dead process") }
            }
        }
        logger.info("job workers started", metadata: ["workers": "\(configuration.workers)", "owner": "\(identity)"])
        defer { threads.shutdown() }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<configuration.workers {
                    group.addTask { await work(worker) }
                }
            }
        }
    }

    /// One worker: claim, run (on `threads`), repeat; sleep a poll interval when the queue is empty.
    private func work(_ worker: Int) async {
        var turn = worker
        var claims = 0
        while !Task.isCancelled {
            // Each claim has its own owner, so a worker that lost its lease (and the job) can never
            // write to a job another claim holds, even within one pool.
            claims += 1
            let owner = "\(identity)-\(worker).\(claims)"
            if let (job, mode, dataset) = claim(startingAt: turn, owner: owner) {
                let runner = JobRunner(builder: builder, configuration: configuration, owner: owner, stops: stops, logger: logger)
                await withTaskExecutorPreference(threads) {
                    await runner.run(job, mode: mode, dataset: dataset)
                }
                turn += 1
                continue
            }
            configuration.metrics.heartbeat(worker: "\(identity)-\(worker)")
            do {
                try await Task.sleep(for: configuration.pollInterval)
            } catch {
                return
            }
        }
    }

    /// The next job to run, trying each mode and kind in turn from `start`, so neither mode nor
    /// kind starves the other.
    private func claim(startingAt start: Int, owner: String) -> (JobRow, DatasetMode, Dataset)? {
        let queues = DatasetMode.allCases.flatMap { mode in JobKind.allCases.map { (mode, $0) } }
        for offset in 0..<queues.count {
            let (mode, kind) = queues[(start + offset) % queues.count]
            do {
                let dataset = try environment.dataset(mode)
                let limit = kind == .export ? configuration.exportsPerMode : configuration.importsPerMode
                if let (previous, job) = try dataset.claimJob(kind.resourceType, owner: owner, leaseSeconds: configuration.leaseSeconds, runningLimit: limit) {
                    try JobEventLog(dataset: dataset).record(
                        kind, before: previous, after: job.record,
                        event: JobEventLog.event(forStatus: job.status, from: JobStatus(rawValue: previous["status"]?.stringValue ?? "")),
                        subject: JobEventLog.worker)
                    return (job, mode, dataset)
                }
            } catch {
                logger.error("could not claim a job from \(mode.rawValue) \(kind.rawValue): \(error)")
            }
        }
        return nil
    }
}
