import CoreMetrics
import FerryCore
import Foundation

/// What the job workers report through swift-metrics: records exported and imported, how long
/// jobs ran, and the workers' heartbeats.
///
/// The factory is explicit, so a test (or an embedder running several servers in one process)
/// gives each its own registry; with none, the process-wide `MetricsSystem` is used (a no-op
/// until it is bootstrapped). Every label's values come from bounded sets: modes, resource
/// types of the catalog, job kinds and statuses, outcomes, and this process's workers.
public struct JobMetrics: Sendable {
    /// The factory the metrics are made with; nil: the process-wide `MetricsSystem.factory`.
    public let factory: (any MetricsFactory)?

    /// Metrics made with `factory` (nil: the process-wide metrics system).
    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory
    }

    /// Metric names, as they appear on `/metrics`.
    public enum Name {
        /// Records written by completed exports (labels `mode`, `resource_type`).
        public static let recordsExported = "ferry_records_exported_total"
        /// Inputs handled by imports (labels `mode`, `resource_type`, `outcome`).
        public static let recordsImported = "ferry_records_imported_total"
        /// Seconds a job's run took in this process (labels `kind`, `mode`, `status`).
        public static let jobDuration = "ferry_job_duration_seconds"
        /// Heartbeats of a worker (label `worker`).
        public static let heartbeats = "ferry_worker_heartbeats_total"
        /// Unix time of a worker's last heartbeat (label `worker`).
        public static let lastHeartbeat = "ferry_worker_last_heartbeat_timestamp_seconds"
    }

    /// The outcomes an import counts its inputs under.
    public static let importOutcomes = ["created", "updated", "unchanged", "refused"]

    /// Counts the records a finished export wrote.
    public func exported(_ count: Int, mode: DatasetMode, resourceType: String) {
        guard count > 0 else { return }
        counter(Name.recordsExported, [("mode", mode.rawValue), ("resource_type", resourceType)]).increment(by: Int64(count))
    }

    /// Counts the inputs a finished (or interrupted) import handled, from its counters
    /// (`created`, `updated`, `unchanged`, and `errors` as `refused`).
    public func imported(_ counters: [String: Int], mode: DatasetMode, resourceType: String) {
        for outcome in Self.importOutcomes {
            let count = counters[outcome == "refused" ? "errors" : outcome] ?? 0
            let counter = counter(Name.recordsImported, [("mode", mode.rawValue), ("resource_type", resourceType), ("outcome", outcome)])
            if count > 0 { counter.increment(by: Int64(count)) }
        }
    }

    /// Records how long a job ran until it reached `status`.
    public func finished(_ kind: JobKind, mode: DatasetMode, status: JobStatus, after duration: Duration) {
        let timer = factory.map { CoreMetrics.Timer(label: Name.jobDuration, dimensions: [("kind", kind.rawValue), ("mode", mode.rawValue), ("status", status.rawValue)], factory: $0) }
            ?? CoreMetrics.Timer(label: Name.jobDuration, dimensions: [("kind", kind.rawValue), ("mode", mode.rawValue), ("status", status.rawValue)])
        timer.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Records a heartbeat of `worker` (a pool's identity and its worker number): it is idle and
    /// polling, or renewing the lease of the job it runs.
    public func heartbeat(worker: String, at date: Date = Date()) {
        let dimensions = [("worker", worker)]
        counter(Name.heartbeats, dimensions).increment()
        let gauge = factory.map { Gauge(label: Name.lastHeartbeat, dimensions: dimensions, factory: $0) } ?? Gauge(label: Name.lastHeartbeat, dimensions: dimensions)
        gauge.record(date.timeIntervalSince1970)
    }

    /// The worker a claim's owner (`identity-worker.claim`) belongs to: without the claim number,
    /// so the label stays bounded.
    public static func worker(ofOwner owner: String) -> String {
        guard let dot = owner.lastIndex(of: "."), owner[dot...].dropFirst().allSatisfy(\.isNumber) else { return owner }
        return String(owner[..<dot])
    }

    /// A duration in whole nanoseconds, as swift-metrics timers record them.
    public static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        factory.map { Counter(label: label, dimensions: dimensions, factory: $0) } ?? Counter(label: label, dimensions: dimensions)
    }
}
