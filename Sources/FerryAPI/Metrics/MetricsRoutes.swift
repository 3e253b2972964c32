import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition of ``FerryMetrics`` (no token: a scraper reads
/// counts and durations, never records or ids).
struct MetricsRoutes: Sendable {
    let services: FerryServices

    /// The exposition format's media type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: Router<FerryRequestContext>) {
        router.get("metrics") { _, _ in
            let bytes = try services.metrics.scrape(services.environment)
            return Response(status: .ok, headers: [.contentType: Self.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
