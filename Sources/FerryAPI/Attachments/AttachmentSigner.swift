import Crypto
import FerryCore
import Foundation

/// Signs attachment URLs: an HMAC-SHA256, with the server secret, over the mode, job kind, job
/// id and expiry, so a URL cannot be altered, reused for another job or used after it expires.
public struct AttachmentSigner: Sendable {
    private let key: SymmetricKey

    /// Creates a signer with the server secret.
    public init(secret: ServerSecret) {
        key = SymmetricKey(data: secret.bytes)
    }

    /// The signature of an attachment reference.
    public func signature(mode: DatasetMode, kind: JobKind, id: String, expires: Int64) -> String {
        let message = "\(mode.rawValue)/\(kind.rawValue)/\(id)/\(expires)"
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key))
    }

    /// The absolute, signed URL of a job's attachment, valid for `lifetime` seconds from `now`.
    public func url(base: String, mode: DatasetMode, kind: JobKind, id: String, lifetime: TimeInterval, now: Date = Date()) -> String {
        let expires = Int64(now.timeIntervalSince1970 + lifetime)
        return "\(base)/attachments/\(mode.rawValue)/\(kind.rawValue)/\(id)?expires=\(expires)&signature=\(signature(mode: mode, kind: kind, id: id, expires: expires))"
    }

    /// Whether a signature is the one for this reference and it has not expired.
    public func isValid(mode: DatasetMode, kind: JobKind, id: String, expires: Int64, signature: String, now: Date = Date()) -> Bool {
        guard Double(expires) > now.timeIntervalSince1970 else { return false }
        let expected = Array(self.signature(mode: mode, kind: kind, id: id, expires: expires).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        // Constant time: the comparison does not stop at the first differing byte.
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
