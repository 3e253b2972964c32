import FerryCore
import FerryStore
import Foundation

/// The record of pipeline runs (`pipeline_runs` in a mode's dataset): every scheduled, caught-up
/// or manual run with its start, end, status, counts and error, and the runs skipped because
/// the previous one was still going.
public struct PipelineRunLog: Sendable {
    /// The dataset holding the log.
    public let dataset: Dataset

    /// What started a run.
    public enum Trigger: String, Sendable {
        /// Its schedule fired.
        case schedule
        /// A run missed while no scheduler ran (`catch_up: true`).
        case catchUp = "catch_up"
        /// `ferry run`.
        case manual
    }

    /// How a run ended.
    public enum Status: String, Sendable {
        /// Still going.
        case running
        /// Finished.
        case completed
        /// Stopped by an error.
        case failed
        /// Not started: the previous run of the pipeline was still going.
        case skipped
    }

    /// Creates a log over a dataset.
    public init(dataset: Dataset) {
        self.dataset = dataset
    }

    /// Records a run that starts now; returns its id.
    public func start(pipeline: String, file: String, trigger: Trigger, scheduledAt: Date?, at now: Date) throws -> String {
        try insert(pipeline: pipeline, file: file, trigger: trigger, status: .running, scheduledAt: scheduledAt, startedAt: now, error: nil)
    }

    /// Records a run that was skipped; returns its id.
    @discardableResult
    public func skip(pipeline: String, file: String, scheduledAt: Date, at now: Date, reason: String) throws -> String {
        try insert(pipeline: pipeline, file: file, trigger: .schedule, status: .skipped, scheduledAt: scheduledAt, startedAt: nil, error: reason, completedAt: now)
    }

    /// Records how a run ended.
    public func finish(_ id: String, status: Status, at now: Date, recordsIn: Int?, recordsOut: Int?, counters: [String: Int], error: String?) throws {
        var changes: [String: Value] = [
            "status": .string(status.rawValue), "completed_at": .timestamp(Timestamp(date: now)),
            "counters": .json(.object(counters.sorted { $0.key < $1.key }.map { JSONMember($0.key, .int(Int64($0.value))) })),
        ]
        if let recordsIn { changes["records_in"] = .int(Int64(recordsIn)) }
        if let recordsOut { changes["records_out"] = .int(Int64(recordsOut)) }
        if let error { changes["error"] = .string(error) }
        try dataset.updateJob(JobTypes.pipelineRuns, id: id, set: changes, by: .caller(statuses: nil))
    }

    /// The latest time a pipeline was due by its schedule (run, caught up or skipped), if ever.
    public func lastScheduled(pipeline: String) throws -> Date? {
        let type = JobTypes.pipelineRuns
        let filter = try Filter([(key: "pipeline_eq", value: .string(pipeline)), (key: "scheduled_at_not_null", value: .bool(true))], for: type, in: .jobs)
        let latest = try dataset.jobs(type, filter: filter, sort: [RecordSort("scheduled_at", descending: true)], offset: 0, limit: 1).records.first
        guard case .timestamp(let stamp)? = latest?["scheduled_at"] else { return nil }
        return stamp.date
    }

    /// The most recent runs, newest first.
    public func recent(pipeline: String? = nil, limit: Int) throws -> [Record] {
        let type = JobTypes.pipelineRuns
        let filter = try pipeline.map { try Filter([(key: "pipeline_eq", value: .string($0))], for: type, in: .jobs) }
        return try dataset.jobs(type, filter: filter, sort: [RecordSort("created_at", descending: true), RecordSort("id", descending: true)], offset: 0, limit: limit).records
    }

    private func insert(pipeline: String, file: String, trigger: Trigger, status: Status, scheduledAt: Date?, startedAt: Date?, error: String?, completedAt: Date? = nil) throws -> String {
        var attributes = Record()
        attributes.append("pipeline", .string(pipeline))
        attributes.append("file", .string(file))
        attributes.append("trigger", .string(trigger.rawValue))
        attributes.append("status", .string(status.rawValue))
        attributes.append("scheduled_at", scheduledAt.map { .timestamp(Timestamp(date: $0)) } ?? .null)
        attributes.append("started_at", startedAt.map { .timestamp(Timestamp(date: $0)) } ?? .null)
        attributes.append("completed_at", completedAt.map { .timestamp(Timestamp(date: $0)) } ?? .null)
        attributes.append("error", error.map(Value.string) ?? .null)
        guard let row = try dataset.insertJob(JobTypes.pipelineRuns, attributes: attributes) else {
            throw CocoaError(.coderInvalidValue)
        }
        return row.id
    }
}
