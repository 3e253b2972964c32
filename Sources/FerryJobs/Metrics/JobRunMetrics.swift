import FerryCore
import FerryStore

/// What one run of a job reports to ``JobMetrics``: the records it exported or imported, and how
/// long it ran until the status it ended in.
struct JobRunMetrics {
    let metrics: JobMetrics
    let job: JobRow
    let mode: DatasetMode
    let dataset: Dataset

    private var resourceType: String { job.record["resource_type"]?.stringValue ?? "unknown" }

    /// Counts what the job wrote: `records` for an export, the importer's `counters` for an import.
    func count(_ records: Int, counters: [String: Int]) {
        switch job.kind {
        case .export: metrics.exported(records, mode: mode, resourceType: resourceType)
        case .import: metrics.imported(counters, mode: mode, resourceType: resourceType)
        }
    }

    /// Records the run's duration under the status the job has now (a deleted job: none).
    func record(since started: ContinuousClock.Instant) {
        guard let status = (try? dataset.job(job.kind.resourceType, id: job.id))?.status else { return }
        metrics.finished(job.kind, mode: mode, status: status, after: ContinuousClock.now - started)
    }
}
