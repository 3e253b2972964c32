import FerryCore
import Foundation
import JWTKit

/// The claims of a Ferry access token (SPEC §8), shaped like a Commerce Layer token: its mode
/// (`test`), its application kind, its market scope and its expiry.
public struct AccessToken: JWTPayload {
    /// The application a token was issued to.
    public struct Application: Codable, Hashable, Sendable {
        /// `integration` (sees everything of its mode) or `sales_channel` (limited to its markets).
        public var kind: String
    }

    /// Who the token was issued to; recorded on the jobs it creates.
    public var sub: SubjectClaim
    /// When the token stops being accepted.
    public var exp: ExpirationClaim
    /// When it was issued.
    public var iat: IssuedAtClaim
    /// Whether the token is for the `test` dataset (else `live`).
    public var test: Bool
    /// The application kind.
    public var application: Application
    /// The market scope, `market:code:EU` or `market:id:…`, space-separated; nil for none.
    public var scope: String?

    /// Creates a token valid for `ttl` seconds from now.
    public init(subject: String, mode: DatasetMode, kind: Kind, scope: String? = nil, ttl: TimeInterval, now: Date = Date()) {
        self.sub = SubjectClaim(value: subject)
        self.iat = IssuedAtClaim(value: now)
        self.exp = ExpirationClaim(value: now.addingTimeInterval(ttl))
        self.test = mode == .test
        self.application = Application(kind: kind.rawValue)
        self.scope = scope
    }

    /// The kinds of application a token may be for.
    public enum Kind: String, CaseIterable, Sendable {
        /// Sees every record of its mode.
        case integration
        /// Sees what its market scope allows.
        case salesChannel = "sales_channel"
    }

    /// The dataset the token gives access to.
    public var mode: DatasetMode { test ? .test : .live }

    /// The application kind, when known.
    public var kind: Kind? { Kind(rawValue: application.kind) }

    /// The market codes of the scope (`market:code:EU`).
    public var marketCodes: [String] { scopeValues("market:code:") }

    /// The market ids of the scope (`market:id:dGbDvhzKAe`).
    public var marketIDs: [String] { scopeValues("market:id:") }

    /// Whether the token carries a market scope.
    public var hasMarketScope: Bool { !marketCodes.isEmpty || !marketIDs.isEmpty }

    private func scopeValues(_ prefix: String) -> [String] {
        (scope ?? "").split(separator: " ").compactMap { part in
            part.hasPrefix(prefix) ? String(part.dropFirst(prefix.count)) : nil
        }
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard kind != nil else {
            throw JWTError.claimVerificationFailure(failedClaim: exp, reason: "unknown application kind '\(application.kind)'")
        }
        if kind == .salesChannel, !hasMarketScope {
            throw JWTError.claimVerificationFailure(failedClaim: exp, reason: "a sales_channel token needs a market scope")
        }
    }
}
