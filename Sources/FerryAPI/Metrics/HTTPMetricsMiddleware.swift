import CoreMetrics
import FerryJobs
import Foundation
import HTTPTypes
import Hummingbird

/// Counts and times every request by method, route and status. The route is the pattern the
/// router matched (`/api/exports/{id}`), `NotFound` when none did — never the raw path, so the
/// labels stay few whatever clients request. A response's time runs until its head is ready (a streamed
/// download's body is not included).
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: FerryMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request.method, route: context.endpointPath, status: response.status, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request.method, route: context.endpointPath, status: status, since: started)
            throw error
        }
    }

    private func record(_ method: HTTPRequest.Method, route: String?, status: HTTPResponse.Status, since started: ContinuousClock.Instant) {
        let dimensions = [("method", method.rawValue), ("route", route ?? "NotFound"), ("status", String(status.code))]
        Counter(label: FerryMetrics.Name.httpRequests, dimensions: dimensions, factory: metrics.factory).increment()
        CoreMetrics.Timer(label: FerryMetrics.Name.httpDuration, dimensions: dimensions, factory: metrics.factory)
            .recordNanoseconds(JobMetrics.nanoseconds(ContinuousClock.now - started))
    }
}
