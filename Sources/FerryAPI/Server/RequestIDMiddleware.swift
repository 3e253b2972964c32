import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Gives every request an id — the client's `X-Request-Id` when it sent one — that is logged with
/// everything the request logs and echoed in the answer.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[Self.header] ?? String(UInt64.random(in: 0...UInt64.max), radix: 36)
        var context = context
        context.logger[metadataKey: "request_id"] = "\(id)"
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }
}
