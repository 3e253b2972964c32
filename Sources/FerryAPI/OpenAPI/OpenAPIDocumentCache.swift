import FerryCore
import Synchronization

/// The server's OpenAPI document, made at its first request and kept: it is megabytes of JSON
/// built from the catalog, and a server (or a test) that is never asked for it should not pay.
final class OpenAPIDocumentCache: Sendable {
    private let make: @Sendable () -> JSONValue
    private let document = Mutex<JSONValue?>(nil)

    /// A cache that makes the document with `make` once.
    init(_ make: @escaping @Sendable () -> JSONValue) {
        self.make = make
    }

    /// The document, made now if it has not been yet.
    var value: JSONValue {
        if let made = document.withLock({ $0 }) { return made }
        let made = make()
        document.withLock { $0 = made }
        return made
    }
}
