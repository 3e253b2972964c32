import Foundation
import Synchronization

/// Tokens whose signature and claims were verified, by their text.
///
/// Verifying a token (decoding it, HMAC of its signature, decoding its claims as JSON) costs more
/// than serving a small read such as `GET /api/exports/{id}`. A token's text fixes its claims
/// and signature, and tokens are not revoked one by one (SPEC §8), so a verified text stays valid
/// until its `exp`, which is checked again on every hit. The memory is bounded: when it is full
/// it is emptied and refills with the tokens in use.
final class VerifiedTokens: Sendable {
    private let tokens = Mutex<[String: AccessToken]>([:])
    /// The most tokens remembered at once.
    let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The claims of a remembered token that has not expired.
    func claims(of token: String, now: Date = Date()) -> AccessToken? {
        tokens.withLock { tokens in
            guard let claims = tokens[token] else { return nil }
            guard claims.exp.value > now else {
                tokens[token] = nil
                return nil
            }
            return claims
        }
    }

    /// Remembers a token just verified.
    func remember(_ claims: AccessToken, for token: String) {
        tokens.withLock { tokens in
            if tokens.count >= capacity { tokens.removeAll(keepingCapacity: true) }
            tokens[token] = claims
        }
    }
}
