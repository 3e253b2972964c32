import Testing
@testable import FerryCore

@Suite struct TimestampTests {
    @Test func formatsCanonicalUTC() {
        let t = Timestamp(year: 2026, month: 2, day: 28, hour: 23, minute: 59, second: 58, millisecond: 7)
        #expect(t.iso8601 == "2026-02-28T23:59:58.007Z")
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999Z")
    }

    @Test(arguments: [
        ("2026-01-31", "2026-01-31T00:00:00.000Z"),
        ("2026-01-31T10:20:30Z", "2026-01-31T10:20:30.000Z"),
        ("2026-01-31T10:20:30.5Z", "2026-01-31T10:20:30.500Z"),
        ("2026-01-31T10:20:30.123456Z", "2026-01-31T10:20:30.123Z"),
        ("2026-01-31T10:20:30+02:00", "2026-01-31T08:20:30.000Z"),
        ("2026-01-31T00:20-01:30", "2026-01-31T01:50:00.000Z"),
        ("2024-02-29T12:00:00", "2024-02-29T12:00:00.000Z"),
    ])
    func parsesISO8601(text: String, expected: String) {
        #expect(Timestamp(iso8601: text)?.iso8601 == expected)
    }

    @Test(arguments: ["", "2026", "2026-13-01", "2025-02-29", "2026-01-31T25:00", "2026-01-31Tx", "2026-01-31T10:20:30Zjunk", "yesterday"])
    func refusesMalformedText(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func roundTripsAndSortsAsText() {
        var previous: String?
        for ms in stride(from: Int64(-86_400_000 * 400), to: 86_400_000 * 40_000, by: 86_400_000 * 37 + 12_345) {
            let t = Timestamp(millisecondsSinceEpoch: ms)
            #expect(Timestamp(iso8601: t.iso8601) == t)
            if let previous { #expect(previous < t.iso8601) }
            previous = t.iso8601
        }
    }
}
