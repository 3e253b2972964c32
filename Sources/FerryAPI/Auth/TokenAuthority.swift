import FerryCore
import Foundation
import JWTKit

/// Issues and verifies access tokens with the server secret (HS256).
public struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection

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
    public func verify(_ token: String) async throws -> AccessToken {
        try await keys.verify(token, as: AccessToken.self)
    }

    /// Parses a lifetime such as `90s`, `15m`, `2h` or `7d` into seconds.
    public static func lifetime(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let number = Double(text.dropLast()), number > 0 else { return Double(text).flatMap { $0 > 0 ? $0 : nil } }
        switch unit {
        case "s": return number
        case "m": return number * 60
        case "h": return number * 3600
        case "d": return number * 86_400
        default: return nil
        }
    }
}
