import Hummingbird

/// The request context of Ferry's routes: Hummingbird's core context plus the verified token.
public struct FerryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's verified token; set by ``BearerTokenMiddleware`` on `/api` routes.
    public var token: AccessToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are read explicitly, with their own limits.
    public var maxUploadSize: Int { 64 << 20 }

    /// The token; routes behind ``BearerTokenMiddleware`` always have one.
    public func requireToken() throws -> AccessToken {
        guard let token else { throw APIError.unauthorized("this endpoint needs 'Authorization: Bearer <token>'") }
        return token
    }
}
