import Foundation

/// How the API answers.
public struct ServerSettings: Sendable {
    /// The absolute URL clients reach the server at (`https://ferry.example.com`); nil: taken from
    /// each request's `Host`.
    public var publicURL: String?
    /// How long an attachment URL stays valid (SPEC §2: 5 minutes by default).
    public var attachmentLifetime: TimeInterval
    /// The largest JSON body accepted; bigger import inputs go as a multipart upload.
    public var maximumBodySize: Int
    /// Requests a token may make per ``rateLimitInterval``; 0 turns limiting off.
    public var rateLimit: Int
    /// The rate-limit window in seconds.
    public var rateLimitInterval: TimeInterval

    /// Creates settings.
    public init(publicURL: String? = nil, attachmentLifetime: TimeInterval = 300, maximumBodySize: Int = 64 << 20, rateLimit: Int = 3000, rateLimitInterval: TimeInterval = 60) {
        self.rateLimit = rateLimit
        self.rateLimitInterval = rateLimitInterval
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.attachmentLifetime = attachmentLifetime
        self.maximumBodySize = maximumBodySize
    }
}
