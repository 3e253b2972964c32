import FerryCore
import Foundation

/// A ``DashboardSnapshot`` as the templates' context (strings, booleans, lists of dictionaries),
/// and as the JSON of a server-sent event.
struct DashboardView {
    let snapshot: DashboardSnapshot

    /// Changes whenever a job or run appears, goes or changes status: the page then fetches the
    /// panel again; between two, events only move progress bars.
    var version: String {
        let jobs = (snapshot.exports + snapshot.imports).map { "\($0.id):\($0.status):\($0.download != nil)" }
        let runs = snapshot.pipelines.map { "\($0.name):\($0.runs.first.map { "\($0.status)\($0.startedAt?.timeIntervalSince1970 ?? 0)" } ?? "")" }
        let workers = snapshot.workers.map { "\($0.name)=\($0.jobs.joined(separator: ","))" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (jobs + runs + workers).joined(separator: "|").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 36)
    }

    /// The panel template's context.
    var context: [String: Any] {
        let all = snapshot.exports + snapshot.imports
        func count(_ status: JobStatus) -> Int { all.filter { $0.status == status.rawValue }.count }
        let summary: [[String: Any]] = [
            ["label": "Running", "value": count(.inProgress), "class": "in_progress"],
            ["label": "Queued", "value": count(.pending), "class": "pending"],
            ["label": "Completed", "value": count(.completed), "class": "completed"],
            ["label": "Failed or interrupted", "value": count(.failed) + count(.interrupted), "class": "failed"],
        ]
        return [
            "mode": snapshot.mode.rawValue, "version": version, "taken_at": Self.clock(snapshot.takenAt),
            "summary": summary,
            "exports": snapshot.exports.map(job), "has_exports": !snapshot.exports.isEmpty,
            "imports": snapshot.imports.map(job), "has_imports": !snapshot.imports.isEmpty,
            "pipelines": snapshot.pipelines.map(pipeline), "has_pipelines": !snapshot.pipelines.isEmpty,
            "workers": snapshot.workers.map { ["name": $0.name, "jobs": $0.jobs.joined(separator: ", ")] }, "has_workers": !snapshot.workers.isEmpty,
        ]
    }

    private func job(_ job: DashboardSnapshot.Job) -> [String: Any] {
        let percent = job.status == JobStatus.completed.rawValue ? 100 : Int(job.progress.rounded(.down))
        let errors = job.errorsLog.isEmpty ? "" : Self.pretty(job.errorsLog)
        let warnings = job.warningsLog.isEmpty ? "" : Self.pretty(job.warningsLog)
        return [
            "kind": job.kind.rawValue, "id": job.id, "resource_type": job.resourceType, "format": job.format,
            "status": job.status, "status_text": job.status.replacingOccurrences(of: "_", with: " "),
            "percent": percent, "processed": job.processed, "processed_text": Self.number(job.processed),
            "total_text": job.total.map(Self.number) ?? "", "has_total": job.total != nil,
            "started": job.startedAt.map { String($0.timeIntervalSince1970) } ?? "",
            "rate_text": job.rate(now: snapshot.takenAt).map(Self.rate) ?? "—",
            "eta_text": job.status == JobStatus.inProgress.rawValue ? job.estimatedCompletionAt.map { Self.relative($0, from: snapshot.takenAt) } ?? "—" : "—",
            "created": job.createdAt.map(Self.clock) ?? "",
            "errors_count": job.errorsCount, "has_errors": job.errorsCount > 0 || !errors.isEmpty, "errors_log": errors,
            "warnings_count": job.warningsCount, "has_warnings": job.warningsCount > 0 || !warnings.isEmpty, "warnings_log": warnings,
            "download": job.download ?? "", "has_download": job.download != nil,
            "download_label": job.kind == .export ? "Download" : "Inputs",
            "worker": job.worker ?? "",
        ]
    }

    private func pipeline(_ pipeline: DashboardSnapshot.Pipeline) -> [String: Any] {
        [
            "name": pipeline.name, "schedule": pipeline.schedule, "time_zone": pipeline.timeZone,
            "next_fire": pipeline.nextFire.map { "\(Self.clock($0)) (\(Self.relative($0, from: snapshot.takenAt)))" } ?? "never",
            "runs": pipeline.runs.map { run -> [String: Any] in
                [
                    "trigger": run.trigger, "status": run.status, "started": run.startedAt.map(Self.clock) ?? "—",
                    "records": [run.recordsIn, run.recordsOut].compactMap { $0 }.map(Self.number).joined(separator: " → "),
                    "error": run.error ?? "", "has_error": !(run.error ?? "").isEmpty,
                ]
            },
            "has_runs": !pipeline.runs.isEmpty,
        ]
    }

    /// The event's JSON: each job's live numbers, and the version of the panel.
    var event: JSONValue {
        let jobs = (snapshot.exports + snapshot.imports).map { job -> JSONValue in
            let percent = job.status == JobStatus.completed.rawValue ? 100 : job.progress
            return .object([
                JSONMember("kind", .string(job.kind.rawValue)), JSONMember("id", .string(job.id)), JSONMember("status", .string(job.status)),
                JSONMember("processed", .int(Int64(job.processed))), JSONMember("total", job.total.map { .int(Int64($0)) } ?? .null),
                JSONMember("progress", .double(percent)),
                JSONMember("rate", job.rate(now: snapshot.takenAt).map(JSONValue.double) ?? .null),
                JSONMember("processed_text", .string(Self.number(job.processed))),
                JSONMember("rate_text", .string(job.rate(now: snapshot.takenAt).map(Self.rate) ?? "—")),
                JSONMember("eta_text", .string(job.status == JobStatus.inProgress.rawValue ? job.estimatedCompletionAt.map { Self.relative($0, from: snapshot.takenAt) } ?? "—" : "—")),
            ])
        }
        return .object([
            JSONMember("mode", .string(snapshot.mode.rawValue)), JSONMember("version", .string(version)),
            JSONMember("taken_at", .double(snapshot.takenAt.timeIntervalSince1970)), JSONMember("jobs", .array(jobs)),
        ])
    }

    static func number(_ n: Int) -> String { n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }

    static func rate(_ perSecond: Double) -> String {
        perSecond >= 100 ? "\(number(Int(perSecond.rounded())))/s" : String(format: "%.1f/s", perSecond)
    }

    static func clock(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).dateTimeSeparator(.space)) + " UTC"
    }

    static func relative(_ date: Date, from now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now).rounded())
        let magnitude = abs(seconds)
        let text = magnitude < 60 ? "\(magnitude) s" : magnitude < 3600 ? "\(magnitude / 60) min \(magnitude % 60) s" : "\(magnitude / 3600) h \(magnitude % 3600 / 60) min"
        return seconds >= 0 ? "in \(text)" : "\(text) ago"
    }

    static func pretty(_ json: JSONValue) -> String {
        guard let data = try? JSONSerialization.jsonObject(with: Data(json.jsonText.utf8)),
              let text = try? JSONSerialization.data(withJSONObject: data, options: [.prettyPrinted, .sortedKeys])
        else { return json.jsonText }
        return String(decoding: text, as: UTF8.self)
    }
}
