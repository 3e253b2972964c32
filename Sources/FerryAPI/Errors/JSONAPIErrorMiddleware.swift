import HTTPTypes
import Hummingbird
import Logging

/// Renders whatever a route throws as a JSON:API error document (``APIError/init(_:)``): a
/// method its path does not declare as a 405 with `Allow`, and any error that is not the
/// client's as a generic 500 whose detail names the request id, the error itself going to the
/// log only.
public struct JSONAPIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods each route path answers.
    let allowed: AllowedMethods

    /// Creates the middleware over the router's table of allowed methods.
    public init(allowed: AllowedMethods = AllowedMethods()) {
        self.allowed = allowed
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var apiError = APIError(error)
            var headers = HTTPFields()
            if !(error is APIError), apiError.code == "NOT_FOUND" {
                let methods = allowed.methods(forPath: request.uri.path)
                if methods.isEmpty {
                    apiError.detail = "no route for \(request.method) \(request.uri.path)"
                } else {
                    apiError = .methodNotAllowed(request.method, allowed: methods)
                    headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
                }
            }
            if apiError.status == .internalServerError, !(error is APIError) {
                let requestID = context.logger[metadataKey: "request_id"].map { "\($0)" } ?? "unknown"
                context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
                apiError.detail = "the server could not answer this request; its log has the cause under request id \(requestID)"
            } else if apiError.status.code >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(apiError.detail)")
            }
            return JSONAPIResponse.make(status: apiError.status, document: apiError.document, headers: headers)
        }
    }
}
