import FerryCore
import FerryStages
import FerryStore
import Foundation
import Logging

/// Runs one claimed job to its end and records the outcome on its row: `completed` with its
/// counts, `failed` with an `errors_log`, `interrupted` (an import over its error threshold or
/// whose inputs cannot be read — bad input never fails an import — or `_interrupt`), or back to
/// `pending` when the worker is shut down (it resumes from its checkpoint at the next start).
struct JobRunner: Sendable {
    let builder: JobPipelineBuilder
    let configuration: JobConfiguration
    let owner: String
    let stops: JobStopSignals
    let logger: Logger

    func run(_ job: JobRow, mode: DatasetMode, dataset: Dataset) async {
        var logger = logger
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind.rawValue)"
        logger[metadataKey: "mode"] = "\(mode.rawValue)"
        let type = job.kind.resourceType
        let stopSignal = stops.listen(job.id)
        defer { stops.remove(job.id) }
        let checkpoint = job.checkpoint
        let started = ContinuousClock.now
        defer { JobRunMetrics(metrics: configuration.metrics, job: job, mode: mode, dataset: dataset).record(since: started) }
        logger.info("job started", metadata: checkpoint.map { ["resumed_at_record": "\($0.recordsIn)"] } ?? [:])
        // What an errors_log must not show: where the job's files live.
        let hidden = [builder.directory.attachmentURL(mode: mode, kind: job.kind, id: job.id, format: job.record["format"]?.stringValue ?? "json").path,
                      builder.directory.url.path]
        var importSink: DatasetSink?
        do {
            let pipeline = try builder.pipeline(for: job, mode: mode)
            importSink = pipeline.sink as? DatasetSink
            let total: Int? = switch job.kind {
            case .export: job.record["records_count"]?.intValue.map(Int.init)
            case .import: job.record["inputs_size"]?.intValue.map(Int.init)
            }
            let recorder = JobProgressRecorder(dataset: dataset, job: job, owner: owner, total: total, interval: configuration.progressInterval, afterCheckpoint: configuration.afterCheckpoint)
            let result = try await withThrowingTaskGroup(of: PipelineResult?.self) { group in
                group.addTask { try await PipelineRunner().run(pipeline, from: checkpoint, observer: recorder) }
                group.addTask {
                    while true {
                        try await Task.sleep(for: configuration.heartbeat)
                        let renewed = try dataset.updateJob(
                            type, id: job.id, set: [:], by: .worker(owner: owner),
                            lease: (owner, Date().timeIntervalSince1970 + configuration.leaseSeconds))
                        if renewed == nil { throw JobLost() }
                        configuration.metrics.heartbeat(worker: JobMetrics.worker(ofOwner: owner))
                    }
                }
                group.addTask {
                    for await _ in stopSignal { throw JobStopped() }
                    return nil
                }
                while let next = try await group.next() {
                    if let result = next {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
            try complete(job, result: result, dataset: dataset)
            JobRunMetrics(metrics: configuration.metrics, job: job, mode: mode, dataset: dataset).count(result.recordsOut, counters: result.sink.counters)
            logger.info("job completed", metadata: ["records": "\(result.recordsOut)", "seconds": "\(String(format: "%.2f", result.elapsed))"])
        } catch let interrupted as ImportInterrupted {
            var changes = Self.importCounts(
                interrupted.report.counters, errorsLog: interrupted.report.errorsLogJSON, warningsLog: interrupted.report.warningsLogJSON)
            changes["status"] = .string(JobStatus.interrupted.rawValue)
            changes["interrupted_at"] = .timestamp(.now)
            Self.keepInputsSize(of: job, in: &changes)
            finish(job, changes, dataset: dataset)
            JobRunMetrics(metrics: configuration.metrics, job: job, mode: mode, dataset: dataset).count(0, counters: interrupted.report.counters)
            logger.notice("import interrupted: \(interrupted)")
        } catch let error where job.kind == .import && JobErrorReport.inputProblem(error, hiding: hidden) != nil && !Task.isCancelled {
            // The inputs cannot be read on (a malformed file): what was read stays imported, and
            // the import ends interrupted with the problem logged as Commerce Layer logs errors.
            let report = await importSink?.report ?? ImportReport()
            var log: [JSONMember] = []
            if case .object(let members) = report.errorsLogJSON { log = members }
            log.append(JSONMember(JobErrorReport.inputsKey, .object([
                JSONMember("base", .array([.string(JobErrorReport.inputProblem(error, hiding: hidden)!)]))
            ])))
            var changes = Self.importCounts(report.counters, errorsLog: .object(log), warningsLog: report.warningsLogJSON)
            changes["status"] = .string(JobStatus.interrupted.rawValue)
            changes["interrupted_at"] = .timestamp(.now)
            Self.keepInputsSize(of: job, in: &changes)
            finish(job, changes, dataset: dataset)
            logger.notice("import interrupted: its inputs cannot be read: \(error)")
        } catch is JobStopped {
            release(job, dataset: dataset, requeue: false)
            logger.notice("job stopped by request")
        } catch is JobLost {
            logger.notice("job no longer held by this worker; stopped")
        } catch {
            if Task.isCancelled {
                switch configuration.onCancel {
                case .requeue:
                    release(job, dataset: dataset, requeue: true)
                    logger.notice("job put back in the queue at shutdown; it resumes from its checkpoint")
                case .abandon:
                    break
                }
                return
            }
            finish(job, [
                "status": .string(JobStatus.failed.rawValue),
                "errors_log": .json(JobErrorReport.failure(error, hiding: hidden)),
            ], dataset: dataset)
            logger.error("job failed: \(error)")
        }
        // A job deleted while it ran leaves no attachment behind.
        if (try? dataset.job(type, id: job.id)) == nil, job.kind == .export {
            let format = job.record["format"]?.stringValue ?? "json"
            let attachment = builder.directory.attachmentURL(mode: mode, kind: .export, id: job.id, format: format)
            try? FileManager.default.removeItem(at: attachment)
            try? FileManager.default.removeItem(atPath: FileSink.Destination.file(attachment.path).partialPath ?? "")
        }
    }

    private func complete(_ job: JobRow, result: PipelineResult, dataset: Dataset) throws {
        var changes: [String: Value] = [
            "status": .string(JobStatus.completed.rawValue), "completed_at": .timestamp(.now), "progress": .double(100),
        ]
        switch job.kind {
        case .export:
            changes["processed_count"] = .int(Int64(result.recordsOut))
            changes["records_count"] = .int(Int64(result.recordsOut))
        case .import:
            changes.merge(Self.importCounts(
                result.sink.counters, errorsLog: result.sink.details["errors_log"] ?? .object([]),
                warningsLog: result.sink.details["warnings_log"] ?? .object([]))) { _, new in new }
        }
        finish(job, changes, dataset: dataset)
    }

    /// Writes the final state, lets go of the lease, and records the change and its event.
    private func finish(_ job: JobRow, _ changes: [String: Value], dataset: Dataset) {
        let type = job.kind.resourceType
        let before = try? dataset.job(type, id: job.id)
        guard let after = try? dataset.updateJob(type, id: job.id, set: changes, by: .worker(owner: owner), lease: (nil, nil)) else { return }
        do {
            try JobEventLog(dataset: dataset).record(
                job.kind, before: before?.record, after: after.record,
                event: JobEventLog.event(forStatus: after.status, from: before?.status), subject: JobEventLog.worker)
        } catch {
            logger.error("could not record the \(after.status.rawValue) of \(job.kind.rawValue) \(job.id): \(error)")
        }
    }

    /// Lets go of a job: back to `pending` (shutdown) or left as the API set it (interrupt).
    private func release(_ job: JobRow, dataset: Dataset, requeue: Bool) {
        let changes: [String: Value] = requeue ? ["status": .string(JobStatus.pending.rawValue)] : [:]
        let writer: Dataset.JobWriter = requeue ? .worker(owner: owner) : .caller(statuses: [.interrupted])
        let before = requeue ? try? dataset.job(job.kind.resourceType, id: job.id) : nil
        let after = try? dataset.updateJob(job.kind.resourceType, id: job.id, set: changes, by: writer, lease: (nil, nil))
        if requeue, let before, let after {
            try? JobEventLog(dataset: dataset).record(job.kind, before: before.record, after: after.record, event: nil, subject: JobEventLog.worker)
        }
    }

    /// An import's counts and logs as its attributes, from the importer's counters.
    static func importCounts(_ counters: [String: Int], errorsLog: JSONValue, warningsLog: JSONValue) -> [String: Value] {
        var changes = importCounters(counters)
        func count(_ name: String) -> Value { .int(Int64(counters[name] ?? 0)) }
        changes["inputs_size"] = count("inputs")
        changes["destroyed_count"] = count("destroyed")
        changes["errors_log"] = .json(errorsLog)
        changes["warnings_log"] = .json(warningsLog)
        return changes
    }

    /// An import stopped before its last input keeps the `inputs_size` its creation counted:
    /// the inputs seen so far are fewer.
    static func keepInputsSize(of job: JobRow, in changes: inout [String: Value]) {
        if let known = job.record["inputs_size"], !known.isNull { changes["inputs_size"] = nil }
    }

    /// The counts an import shows while it runs and when it ends, from the importer's counters
    /// (a checkpoint's sink state, or the final summary): `processed_count` is every input
    /// processed without error — created, updated or unchanged — so that it and `errors_count`
    /// add up to the inputs seen, and a batch redone after a resume (its records now unchanged)
    /// is counted once, as the checkpoint it resumes from left it.
    static func importCounters(_ counters: [String: Int]) -> [String: Value] {
        func count(_ name: String) -> Value { .int(Int64(counters[name] ?? 0)) }
        let processed = (counters["created"] ?? 0) + (counters["updated"] ?? 0) + (counters["unchanged"] ?? 0)
        return [
            "processed_count": .int(Int64(processed)), "errors_count": count("errors"), "warnings_count": count("warnings"),
            "created_count": count("created"), "updated_count": count("updated"), "unchanged_count": count("unchanged"),
        ]
    }
}
