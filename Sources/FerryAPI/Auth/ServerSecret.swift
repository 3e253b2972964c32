import FerryCore
import FerryStore
import Foundation

/// The server's signing secret: tokens and attachment URLs are signed with it.
///
/// It comes from `FERRY_SECRET` when set, else from the data directory's `secret` file, which is
/// generated (32 random bytes, hex) with owner-only permissions on first use.
public struct ServerSecret: Sendable {
    /// The secret's bytes.
    public let bytes: [UInt8]

    /// The environment variable that overrides the stored secret.
    public static let environmentVariable = "FERRY_SECRET"
    /// The least length HS256 keys may have.
    public static let minimumLength = 32

    /// A secret from explicit bytes (at least 32).
    public init(bytes: [UInt8]) throws(ServerSecretError) {
        guard bytes.count >= Self.minimumLength else { throw .tooShort(bytes.count) }
        self.bytes = bytes
    }

    /// The secret of a data directory: from the environment, the stored file, or a new one.
    public static func load(directory: DataDirectory, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerSecret {
        if let text = environment[environmentVariable], !text.isEmpty {
            return try ServerSecret(bytes: Array(text.utf8))
        }
        let url = directory.secretURL
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            return try ServerSecret(bytes: Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8))
        }
        try directory.create()
        let hex = Hex.random(bytes: 32)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return try ServerSecret(bytes: Array(hex.utf8))
    }
}

/// A secret that cannot sign.
public enum ServerSecretError: Error, CustomStringConvertible {
    /// Shorter than HS256 allows.
    case tooShort(Int)

    public var description: String {
        switch self {
        case .tooShort(let count):
            return "the server secret must be at least \(ServerSecret.minimumLength) bytes (\(ServerSecret.environmentVariable) has \(count))"
        }
    }
}
