import Foundation

extension Timestamp {
    /// The current time.
    public static var now: Timestamp { Timestamp(date: Date()) }

    /// The timestamp of a `Date`, to the millisecond.
    public init(date: Date) {
        self.init(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// The timestamp as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }
}
