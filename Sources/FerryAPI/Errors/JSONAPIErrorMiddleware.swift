import Hummingbird
import Logging

/// Renders whatever a route throws as a JSON:API error document (``APIError/init(_:)``), and
/// logs server errors.
public struct JSONAPIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var apiError = APIError(error)
            if !(error is APIError), apiError.code == "NOT_FOUND" { apiError.detail = "no route for \(request.method) \(request.uri.path)" }
            if apiError.status.code >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            return JSONAPIResponse.make(status: apiError.status, document: apiError.document)
        }
    }
}
