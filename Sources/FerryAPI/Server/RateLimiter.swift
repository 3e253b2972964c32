import Foundation
import Synchronization

/// Counts each token's requests in fixed windows of `interval` seconds starting at its first
/// request, and says whether another one is allowed (SPEC §7: 429 over the limit).
public final class RateLimiter: Sendable {
    /// Requests allowed per window; 0 turns limiting off.
    public let limit: Int
    /// The window's length in seconds.
    public let interval: TimeInterval
    private let windows = Mutex<[String: Window]>([:])

    struct Window {
        var start: TimeInterval
        var count: Int
    }

    /// What the limiter decided for one request.
    public struct Decision: Sendable {
        /// Whether the request may go on.
        public var allowed: Bool
        /// Requests left in the window after this one.
        public var remaining: Int
        /// Seconds until the window resets.
        public var reset: TimeInterval
    }

    /// Creates a limiter.
    public init(limit: Int, interval: TimeInterval) {
        self.limit = limit
        self.interval = interval
    }

    /// Counts a request of `key` at `now` and decides.
    public func check(_ key: String, now: TimeInterval = Date().timeIntervalSince1970) -> Decision {
        windows.withLock { windows in
            // Forget lapsed windows now and then, so the table stays the size of the active callers.
            if windows.count > 10_000 { windows = windows.filter { now - $0.value.start < interval } }
            var window = windows[key] ?? Window(start: now, count: 0)
            if now - window.start >= interval { window = Window(start: now, count: 0) }
            window.count += 1
            windows[key] = window
            return Decision(allowed: window.count <= limit, remaining: max(0, limit - window.count), reset: max(0, window.start + interval - now))
        }
    }
}
