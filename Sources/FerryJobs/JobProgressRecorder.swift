import FerryCore
import FerryStore
import Synchronization

/// Writes a running job's progress and checkpoints to its row: `processed_count`, `progress` and
/// `estimated_completion_at` at most every `interval` (and at every checkpoint), the checkpoint
/// after every committed batch. A write the job's lease no longer allows (the job was interrupted
/// or deleted, or another worker took it) stops the run with ``JobLost``.
final class JobProgressRecorder: PipelineObserver {
    let dataset: Dataset
    let job: JobRow
    let owner: String
    let total: Int?
    let interval: Duration
    let afterCheckpoint: (@Sendable (JobKind, String, Checkpoint) async throws -> Void)?
    private let lastWrite = Mutex<ContinuousClock.Instant?>(nil)
    private let started = ContinuousClock.now
    /// Records already read when this run started (from the checkpoint it resumes).
    private let resumedAt: Int

    init(dataset: Dataset, job: JobRow, owner: String, total: Int?, interval: Duration, afterCheckpoint: (@Sendable (JobKind, String, Checkpoint) async throws -> Void)?) {
        self.afterCheckpoint = afterCheckpoint
        self.dataset = dataset
        self.job = job
        self.resumedAt = job.checkpoint?.recordsIn ?? 0
        self.owner = owner
        self.total = total
        self.interval = interval
    }

    func progress(_ progress: PipelineProgress) async {
        let now = ContinuousClock.now
        let due = lastWrite.withLock { last -> Bool in
            guard last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        let changes = fields(recordsIn: progress.recordsIn, recordsOut: progress.recordsOut)
        _ = try? dataset.updateJob(job.kind.resourceType, id: job.id, set: changes, by: .worker(owner: owner))
    }

    func checkpoint(_ checkpoint: Checkpoint) async throws {
        var changes = fields(recordsIn: checkpoint.recordsIn, recordsOut: checkpoint.recordsOut)
        if job.kind == .import {
            // The counts go in the write that stores the checkpoint, so they are always those of
            // the checkpoint a resumed run starts from.
            let counters = checkpoint.sinkState.compactMapValues { Int($0) }
            changes.merge(JobRunner.importCounters(counters)) { _, new in new }
        }
        guard try dataset.updateJob(job.kind.resourceType, id: job.id, set: changes, by: .worker(owner: owner), checkpoint: checkpoint) != nil else {
            throw JobLost()
        }
        try await afterCheckpoint?(job.kind, job.id, checkpoint)
    }

    private func fields(recordsIn: Int, recordsOut: Int) -> [String: Value] {
        var changes: [String: Value] = [:]
        if job.kind == .export { changes["processed_count"] = .int(Int64(recordsOut)) }
        if let total, total > 0 {
            changes["progress"] = .double(min(100, (Double(recordsIn) * 1000 / Double(total)).rounded() / 10))
            // The rate measured since this run started (a resumed run counts from its checkpoint).
            let done = recordsIn - resumedAt
            let elapsed = PipelineRunner.seconds(ContinuousClock.now - started)
            if done > 0, elapsed > 0 {
                let remaining = Double(max(0, total - recordsIn)) * elapsed / Double(done)
                changes["estimated_completion_at"] = .timestamp(Timestamp(millisecondsSinceEpoch: Timestamp.now.millisecondsSinceEpoch + Int64(remaining * 1000)))
            }
        }
        return changes
    }
}

/// The running job's row no longer lets this worker write: it was interrupted, deleted or taken over.
struct JobLost: Error {}

/// The job was asked to stop through ``JobStopSignals``.
struct JobStopped: Error {}
