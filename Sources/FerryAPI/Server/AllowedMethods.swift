import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route path answers, read from the router once its routes are registered, so
/// that a request with a method its path does not declare is a 405 with an `Allow` header
/// rather than the router's 404.
public final class AllowedMethods: Sendable {
    /// One route path, split in segments (`nil` matches any one segment, as a capture such as `{id}` does).
    private struct Pattern: Sendable {
        let segments: [String?]
        let method: HTTPRequest.Method
    }

    private let patterns = Mutex<[Pattern]>([])

    /// An empty table; ``load(_:)`` fills it.
    public init() {}

    /// Takes the routes of a router whose routes are all registered.
    public func load(_ routes: [Router<some RequestContext>.RouteDescription]) {
        let loaded = routes.map { route in
            Pattern(segments: route.path.description.split(separator: "/").map { $0.contains("{") || $0.contains("*") ? nil : String($0) }, method: route.method)
        }
        patterns.withLock { $0 = loaded }
    }

    /// The methods some route of `path` answers, in a stable order; empty when no route has that path.
    public func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        let matching = patterns.withLock { patterns in
            patterns.filter { pattern in
                pattern.segments.count == segments.count
                    && zip(pattern.segments, segments).allSatisfy { expected, given in expected.map { $0 == given } ?? true }
            }.map(\.method)
        }
        var methods = Set(matching.map(\.rawValue))
        if methods.contains(HTTPRequest.Method.get.rawValue) { methods.insert(HTTPRequest.Method.head.rawValue) }
        return methods.sorted().compactMap { HTTPRequest.Method(rawValue: $0) }
    }
}
