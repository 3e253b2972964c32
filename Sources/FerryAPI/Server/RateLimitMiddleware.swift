import HTTPTypes
import Hummingbird

/// Limits each token's requests (``RateLimiter``) and tells the caller where it stands in
/// `x-ratelimit-limit`, `x-ratelimit-interval` and `x-ratelimit-remaining`; over the limit it
/// answers 429 `TOO_MANY_REQUESTS` with `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = FerryRequestContext
    let limiter: RateLimiter

    static let limitHeader = HTTPField.Name("x-ratelimit-limit")!
    static let intervalHeader = HTTPField.Name("x-ratelimit-interval")!
    static let remainingHeader = HTTPField.Name("x-ratelimit-remaining")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard limiter.limit > 0, let token = request.headers[.authorization] else { return try await next(request, context) }
        let decision = limiter.check(token)
        var headers: HTTPFields = [
            Self.limitHeader: String(limiter.limit), Self.intervalHeader: String(Int(limiter.interval)),
            Self.remainingHeader: String(decision.remaining),
        ]
        guard decision.allowed else {
            headers[.retryAfter] = String(Int(decision.reset.rounded(.up)))
            let error = APIError(
                status: .tooManyRequests, code: "TOO_MANY_REQUESTS", title: "Too many requests",
                detail: "over \(limiter.limit) requests in \(Int(limiter.interval)) s; retry in \(Int(decision.reset.rounded(.up))) s")
            return JSONAPIResponse.make(status: .tooManyRequests, document: error.document, headers: headers)
        }
        var response = try await next(request, context)
        for field in headers { response.headers.append(field) }
        return response
    }
}
