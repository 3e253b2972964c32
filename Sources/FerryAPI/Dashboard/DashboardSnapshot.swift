import FerryCore
import FerryJobs
import FerryStages
import FerryStore
import Foundation

/// What the dashboard shows for one mode, read from its dataset: recent exports and imports with
/// their progress, the scheduled pipelines with their next firing and last runs, and the workers
/// holding running jobs. Rendered as HTML by ``DashboardRoutes`` and sent as JSON on
/// `/api/events`.
struct DashboardSnapshot {
    /// One export or import.
    struct Job {
        var kind: JobKind
        var id: String
        var resourceType: String
        var format: String
        var status: String
        var processed: Int
        var total: Int?
        var progress: Double
        var startedAt: Date?
        var completedAt: Date?
        var estimatedCompletionAt: Date?
        var createdAt: Date?
        var errorsCount: Int
        var warningsCount: Int
        var errorsLog: JSONValue
        var warningsLog: JSONValue
        var download: String?
        var worker: String?

        /// Records a second: over the run so far, or over the whole run once it ended.
        func rate(now: Date) -> Double? {
            guard let startedAt, processed > 0 else { return nil }
            let seconds = (completedAt ?? now).timeIntervalSince(startedAt)
            return seconds > 0 ? Double(processed) / seconds : nil
        }
    }

    /// One scheduled pipeline whose runs this mode logs.
    struct Pipeline {
        var name: String
        var schedule: String
        var timeZone: String
        var nextFire: Date?
        var runs: [Run]
    }

    /// One recorded pipeline run.
    struct Run {
        var trigger: String
        var status: String
        var startedAt: Date?
        var completedAt: Date?
        var recordsIn: Int?
        var recordsOut: Int?
        var error: String?
    }

    /// A worker and the jobs it holds.
    struct Worker {
        var name: String
        var jobs: [String]
    }

    var mode: DatasetMode
    var takenAt: Date
    var exports: [Job]
    var imports: [Job]
    var pipelines: [Pipeline]
    var workers: [Worker]

    /// Reads the snapshot of `mode`; download links are signed under `base`.
    static func read(_ services: FerryServices, mode: DatasetMode, base: String, limit: Int = 15, now: Date = Date()) throws -> DashboardSnapshot {
        let dataset = try services.environment.dataset(mode)
        func jobs(_ kind: JobKind) throws -> [Job] {
            let records = try dataset.jobs(kind.resourceType, sort: [RecordSort("created_at", descending: true), RecordSort("id", descending: true)], offset: 0, limit: limit).records
            return try records.map { record in
                let id = record.id ?? ""
                let status = record["status"]?.stringValue ?? "pending"
                var download: String?
                let format = record["format"]?.stringValue ?? "json"
                if status == JobStatus.completed.rawValue || kind == .import,
                   FileManager.default.fileExists(atPath: services.environment.directory.attachmentPath(mode: mode, kind: kind, id: id, format: format)) {
                    download = services.attachments.url(base: base, mode: mode, kind: kind, id: id, lifetime: services.settings.attachmentLifetime)
                }
                let worker = status == JobStatus.inProgress.rawValue ? try dataset.job(kind.resourceType, id: id)?.leaseOwner.map(JobMetrics.worker(ofOwner:)) : nil
                return Job(
                    kind: kind, id: id, resourceType: record["resource_type"]?.stringValue ?? "", format: format, status: status,
                    processed: Int(record["processed_count"]?.intValue ?? 0),
                    total: (record[kind == .export ? "records_count" : "inputs_size"]?.intValue).map(Int.init),
                    progress: record["progress"]?.doubleValue ?? 0,
                    startedAt: date(record["started_at"]), completedAt: date(record["completed_at"]),
                    estimatedCompletionAt: date(record["estimated_completion_at"]), createdAt: date(record["created_at"]),
                    errorsCount: Int(record["errors_count"]?.intValue ?? 0), warningsCount: Int(record["warnings_count"]?.intValue ?? 0),
                    errorsLog: record["errors_log"]?.jsonValue ?? .object([]), warningsLog: record["warnings_log"]?.jsonValue ?? .object([]),
                    download: download, worker: worker)
            }
        }
        let exports = try jobs(.export)
        let imports = try jobs(.import)
        let log = PipelineRunLog(dataset: dataset)
        let pipelines = try services.pipelines.filter { $0.logMode == mode }.map { pipeline in
            Pipeline(
                name: pipeline.name, schedule: pipeline.schedule.expression, timeZone: pipeline.schedule.timeZone.identifier,
                nextFire: pipeline.schedule.nextFire(after: now),
                runs: try log.recent(pipeline: pipeline.name, limit: 5).map { record in
                    Run(trigger: record["trigger"]?.stringValue ?? "", status: record["status"]?.stringValue ?? "",
                        startedAt: date(record["started_at"]), completedAt: date(record["completed_at"]),
                        recordsIn: (record["records_in"]?.intValue).map(Int.init), recordsOut: (record["records_out"]?.intValue).map(Int.init),
                        error: record["error"]?.stringValue)
                })
        }
        var held: [String: [String]] = [:]
        for job in exports + imports {
            if let worker = job.worker { held[worker, default: []].append("\(job.kind.rawValue)/\(job.id)") }
        }
        let workers = held.keys.sorted().map { Worker(name: $0, jobs: held[$0] ?? []) }
        return DashboardSnapshot(mode: mode, takenAt: now, exports: exports, imports: imports, pipelines: pipelines, workers: workers)
    }

    /// A stored time as a date (timestamps, or ISO 8601 text).
    static func date(_ value: Value?) -> Date? {
        switch value {
        case .timestamp(let t)?: Date(timeIntervalSince1970: Double(t.millisecondsSinceEpoch) / 1000)
        case .string(let s)?: Timestamp(iso8601: s).map { Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1000) }
        default: nil
        }
    }
}
