import Foundation

/// The time a scheduler reads and waits on; tests inject one they move by hand.
public protocol SchedulerClock: Sendable {
    /// The current time.
    func now() async -> Date
    /// Returns at `date` (at once when it has passed); throws when the task is cancelled.
    func sleep(until date: Date) async throws
}

/// The system's wall clock.
public struct SystemSchedulerClock: SchedulerClock {
    /// Creates the clock.
    public init() {}

    public func now() async -> Date { Date() }

    public func sleep(until date: Date) async throws {
        // Sleep in slices of at most a minute, so a changed wall clock is noticed.
        while true {
            let left = date.timeIntervalSinceNow
            if left <= 0 { return }
            try await Task.sleep(for: .seconds(min(left, 60)))
        }
    }
}
