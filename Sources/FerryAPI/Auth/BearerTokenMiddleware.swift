import Hummingbird

/// Verifies the `Authorization: Bearer <JWT>` of every `/api` request (SPEC §8): missing,
/// malformed, forged or expired tokens are answered 401 before any route runs.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = FerryRequestContext
    let tokens: TokenAuthority

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("send 'Authorization: Bearer <token>'; 'ferry token --mode test' issues one")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.invalidToken("the Authorization header must be 'Bearer <token>'")
        }
        var context = context
        let token = try await tokens.verify(String(parts[1]))
        context.token = token
        context.logger[metadataKey: "mode"] = "\(token.mode.rawValue)"
        return try await next(request, context)
    }
}
