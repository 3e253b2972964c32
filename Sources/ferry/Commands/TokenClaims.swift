import FerryCore
import Foundation

/// What the CLI reads from an access token without verifying it (the server verifies it): the
/// mode it is for, so that a `--mode` that disagrees is refused before a server is asked anything.
struct TokenClaims: Decodable {
    /// Whether the token is for the `test` dataset (else `live`).
    var test: Bool

    /// The dataset mode the token gives access to.
    var mode: DatasetMode { test ? .test : .live }

    /// The claims of a JWT, nil when it is not one this CLI can read (the server then says why).
    init?(jwt: String) {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var text = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: text), let claims = try? JSONDecoder().decode(Self.self, from: data) else { return nil }
        self = claims
    }
}
