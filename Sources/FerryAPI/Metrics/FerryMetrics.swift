import CoreMetrics
import FerryCore
import FerryJobs
import FerryStages
import Foundation
import Metrics
import Prometheus
import Synchronization

/// Ferry's metrics: one Prometheus registry that the job workers (``JobMetrics``), the HTTP
/// middleware and `GET /metrics` share, reached through swift-metrics with an explicit factory.
///
/// Nothing here needs the process-wide `MetricsSystem`: ``bootstrapProcess()`` makes this
/// registry the process's as well (so libraries that report through swift-metrics land here too),
/// once per process — tests build as many `FerryMetrics` as they like and never bootstrap.
public struct FerryMetrics: Sendable {
    /// The registry `/metrics` exposes.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory writing into ``registry``.
    public let factory: PrometheusMetricsFactory

    /// Metric names of the server, as they appear on `/metrics`.
    public enum Name {
        /// Jobs by kind, status and mode, read from the datasets at each scrape.
        public static let jobs = "ferry_jobs"
        /// Pending jobs by kind and mode.
        public static let queueDepth = "ferry_job_queue_depth"
        /// HTTP requests answered (labels `method`, `route`, `status`).
        public static let httpRequests = "ferry_http_requests_total"
        /// Seconds to answer an HTTP request (labels `method`, `route`, `status`).
        public static let httpDuration = "ferry_http_request_duration_seconds"
    }

    /// Bucket bounds of the job duration histogram: jobs last from a second to hours.
    public static let jobDurationBuckets: [Duration] = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200].map { .seconds($0) }
    /// Bucket bounds of the request latency histogram.
    public static let httpDurationBuckets: [Duration] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000].map { .milliseconds($0) }

    /// Metrics in `registry` (by default a new one of their own).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            JobMetrics.Name.jobDuration: Self.jobDurationBuckets,
            Name.httpDuration: Self.httpDurationBuckets,
        ]
        self.factory = factory
    }

    /// What the job workers report to.
    public var jobs: JobMetrics { JobMetrics(factory: factory) }

    private static let bootstrapped = Mutex(false)

    /// Makes this registry the process-wide metrics system, unless one was bootstrapped already
    /// (swift-metrics allows it once per process). Returns whether it did.
    @discardableResult
    public func bootstrapProcess() -> Bool {
        Self.bootstrapped.withLock { done in
            guard !done else { return false }
            MetricsSystem.bootstrap(factory)
            done = true
            return true
        }
    }

    /// The exposition text: first the job gauges are set from the datasets' queues (so that every
    /// process sharing the data directory shows the same), then the whole registry is written.
    public func scrape(_ environment: StageEnvironment) throws -> [UInt8] {
        for mode in DatasetMode.allCases {
            let dataset = try environment.dataset(mode)
            for kind in JobKind.allCases {
                let counts = try dataset.jobCounts(kind.resourceType)
                for status in JobStatus.allCases {
                    gauge(Name.jobs, [("kind", kind.rawValue), ("status", status.rawValue), ("mode", mode.rawValue)])
                        .record(counts[status] ?? 0)
                }
                gauge(Name.queueDepth, [("kind", kind.rawValue), ("mode", mode.rawValue)]).record(counts[.pending] ?? 0)
            }
        }
        return registry.emitToBuffer()
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory)
    }
}
