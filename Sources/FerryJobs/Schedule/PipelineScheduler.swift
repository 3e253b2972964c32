import FerryCore
import FerryStages
import FerryStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs scheduled pipeline files when their cron schedules fire (under `ferry serve` and
/// `ferry schedule`).
///
/// - A firing while the previous run of the same pipeline is still going is skipped, logged,
///   and recorded as a `skipped` run.
/// - Every run is recorded in the run log of the pipeline's dataset (``PipelineRunLog``).
/// - At start, a pipeline with `catch_up: true` whose schedule fired while no scheduler ran
///   (judged from its last recorded scheduled time) runs once, however many firings it missed.
/// - Firings missed while a run kept the scheduler late are not replayed one by one: the next
///   firing is computed from the time the scheduler wakes.
public final class PipelineScheduler: Service {
    /// The pipelines scheduled.
    public let pipelines: [ScheduledPipeline]
    private let environment: StageEnvironment
    private let registry: StageRegistry
    private let clock: any SchedulerClock
    private let logger: Logger
    private let running = Mutex<Set<String>>([])

    /// Creates a scheduler.
    public init(pipelines: [ScheduledPipeline], environment: StageEnvironment, registry: StageRegistry, clock: any SchedulerClock = SystemSchedulerClock(), logger: Logger = Logger(label: "ferry.schedule")) {
        self.pipelines = pipelines
        self.environment = environment
        self.registry = registry
        self.clock = clock
        self.logger = logger
    }

    /// Runs until cancelled or shut down; runs in progress are cancelled with it.
    public func run() async throws {
        for pipeline in pipelines {
            let next = pipeline.schedule.nextFire(after: await clock.now())
            logger.info("scheduled \(pipeline.name) (\(pipeline.schedule.expression), \(pipeline.schedule.timeZone.identifier)); next run \(next.map { Timestamp(date: $0).iso8601 } ?? "never")")
        }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for pipeline in self.pipelines {
                        group.addTask { try await self.schedule(pipeline) }
                    }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Shut down: runs in progress were recorded as stopped.
        }
    }

    /// One pipeline's loop: catch up if due, then wait for each firing and run or skip it.
    private func schedule(_ pipeline: ScheduledPipeline) async throws {
        let log = PipelineRunLog(dataset: try environment.dataset(pipeline.logMode))
        try await withThrowingDiscardingTaskGroup { group in
            var after = await clock.now()
            if pipeline.catchUp, let missed = try missedFiring(pipeline, log: log, now: after) {
                logger.notice("\(pipeline.name) missed its run at \(Timestamp(date: missed).iso8601); running it once now (catch_up)")
                fire(pipeline, scheduledAt: missed, trigger: .catchUp, log: log, group: &group)
            }
            while let next = pipeline.schedule.nextFire(after: after) {
                try await clock.sleep(until: next)
                fire(pipeline, scheduledAt: next, trigger: .schedule, log: log, group: &group)
                after = max(next, await clock.now())
            }
        }
    }

    /// The latest firing between the last recorded one and now, if any.
    private func missedFiring(_ pipeline: ScheduledPipeline, log: PipelineRunLog, now: Date) throws -> Date? {
        guard let last = try log.lastScheduled(pipeline: pipeline.name) else { return nil }
        var missed: Date?
        var cursor = last
        while let next = pipeline.schedule.nextFire(after: cursor), next <= now {
            missed = next
            cursor = next
        }
        return missed
    }

    /// Starts a run in `group`, or records a skip when the previous run still goes.
    private func fire(_ pipeline: ScheduledPipeline, scheduledAt: Date, trigger: PipelineRunLog.Trigger, log: PipelineRunLog, group: inout ThrowingDiscardingTaskGroup<any Error>) {
        let started = running.withLock { $0.insert(pipeline.name).inserted }
        guard started else {
            logger.warning("\(pipeline.name): skipping the run due at \(Timestamp(date: scheduledAt).iso8601); the previous run is still going")
            group.addTask {
                try log.skip(pipeline: pipeline.name, file: pipeline.file, scheduledAt: scheduledAt, at: await self.clock.now(), reason: "skipped: the previous run was still in progress")
            }
            return
        }
        group.addTask {
            defer { _ = self.running.withLock { $0.remove(pipeline.name) } }
            try await self.execute(pipeline, scheduledAt: scheduledAt, trigger: trigger, log: log)
        }
    }

    /// Runs a pipeline once and records it; a failing run is logged and recorded, not thrown.
    private func execute(_ pipeline: ScheduledPipeline, scheduledAt: Date, trigger: PipelineRunLog.Trigger, log: PipelineRunLog) async throws {
        let id = try log.start(pipeline: pipeline.name, file: pipeline.file, trigger: trigger, scheduledAt: scheduledAt, at: await clock.now())
        logger.info("\(pipeline.name): run \(id) started (\(trigger.rawValue))")
        do {
            let outcome = try await PipelineRunOutcome.run(pipeline.content, registry: registry, environment: environment)
            try log.finish(id, status: outcome.failure == nil ? .completed : .failed, at: await clock.now(), recordsIn: outcome.recordsIn,
                           recordsOut: outcome.recordsOut, counters: outcome.counters, error: outcome.failure)
            logger.info("\(pipeline.name): run \(id) \(outcome.failure == nil ? "completed" : "failed: \(outcome.failure!)"), \(outcome.recordsOut) records")
        } catch {
            let cancelled = Task.isCancelled
            try log.finish(id, status: .failed, at: await clock.now(), recordsIn: nil, recordsOut: nil, counters: [:],
                           error: cancelled ? "stopped: the scheduler shut down" : String(describing: error))
            logger.error("\(pipeline.name): run \(id) failed: \(error)")
            if cancelled { throw error }
        }
    }
}
