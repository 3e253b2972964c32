import FerryCore
import Foundation
import JWTKit

/// Issues and verifies access tokens with the server secret (HS256).
public struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    private let verified = VerifiedTokens()

    /// Creates an authority signing with `secret`.
    public init(secret: ServerSecret) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret.bytes), digestAlgorithm: .sha256)
        self.keys = keys
    }

    /// Signs a token.
    public func issue(_ token: AccessToken) async throws -> String {
        try await keys.sign(token)
    }

    /// The claims of a token whose signature and expiry hold; throws otherwise.
    ///
    /// A client sends the same token with every request, so a token whose signature held is
    /// remembered (see `VerifiedTokens`) and only its expiry is checked again.
    public func verify(_ token: String) async throws -> AccessToken {
        if let claims = verified.claims(of: token) { return claims }
        let claims = try await keys.verify(token, as: AccessToken.self)
        verified.remember(claims, for: token)
        return claims
    }

    /// Parses a lifetime such as `90s`, `15m`, `2h`, `7d`, or a bare number of seconds.
    public static func lifetime(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let (digits, scale) = text.last.flatMap { units[$0] }.map { (text.dropLast(), $0) } ?? (Substring(text), 1)
        guard let number = Double(digits), number > 0 else { return nil }
        return number * scale
    }
}
