import Foundation
import Testing
@testable import FerryCore

@Suite struct CronScheduleTests {
    func date(_ text: String) -> Date {
        Date(timeIntervalSince1970: TimeInterval(Timestamp(iso8601: text)!.millisecondsSinceEpoch / 1000))
    }

    func iso(_ date: Date?) -> String? {
        date.map { Timestamp(millisecondsSinceEpoch: Int64($0.timeIntervalSince1970) * 1000).iso8601 }
    }

    @Test(arguments: [
        ("*/15 * * * *", "2026-03-01T10:07:00Z", "2026-03-01T10:15:00.000Z"),
        ("0 2 * * *", "2026-03-01T02:00:00Z", "2026-03-02T02:00:00.000Z"),
        ("30 9 * * mon-fri", "2026-11-27T10:00:00Z", "2026-11-30T09:30:00.000Z"),  // Friday after 09:30 → Monday
        ("0 0 1 * *", "2026-01-31T12:00:00Z", "2026-02-01T00:00:00.000Z"),
        ("0 0 29 2 *", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00.000Z"),  // the next leap day
        ("0 12 13 * 5", "2026-11-02T00:00:00Z", "2026-11-06T12:00:00.000Z"),  // 13th or Friday (either day field)
        ("@weekly", "2026-11-29T00:00:00Z", "2026-12-06T00:00:00.000Z"),  // 2026-11-29 is a Sunday
        ("0 8-18/5 * jan,dec 7", "2026-11-29T00:00:00Z", "2026-12-06T08:00:00.000Z"),
    ])
    func nextFireInUTC(expression: String, after: String, expected: String) throws {
        let schedule = try CronSchedule(expression)
        #expect(iso(schedule.nextFire(after: date(after))) == expected)
    }

    @Test func aTimeSkippedBySpringForwardDoesNotFireThatDay() throws {
        // Europe/Rome moves from 02:00 to 03:00 on 2026-03-29.
        let schedule = try CronSchedule("30 2 * * *", timeZone: TimeZone(identifier: "Europe/Rome")!)
        let next = schedule.nextFire(after: date("2026-03-28T12:00:00Z"))
        #expect(iso(next) == "2026-03-30T00:30:00.000Z", "02:30 CEST on the 30th; the 29th has no 02:30")
    }

    @Test func aTimeRepeatedByFallBackFiresOnce() throws {
        // Europe/Rome moves from 03:00 back to 02:00 on 2026-10-25: 02:30 happens twice.
        let schedule = try CronSchedule("30 2 * * *", timeZone: TimeZone(identifier: "Europe/Rome")!)
        let first = try #require(schedule.nextFire(after: date("2026-10-24T12:00:00Z")))
        #expect(iso(first) == "2026-10-25T00:30:00.000Z", "the first 02:30, still CEST")
        #expect(iso(schedule.nextFire(after: first)) == "2026-10-26T01:30:00.000Z", "not again at 02:30 CET the same day")
    }

    @Test func hourlyAcrossTheFallBackHourFiresEachWallClockHourOnce() throws {
        let schedule = try CronSchedule("0 * * * *", timeZone: TimeZone(identifier: "Europe/Rome")!)
        var fires: [String] = []
        var cursor = date("2026-10-24T22:30:00Z")
        for _ in 0..<4 {
            cursor = try #require(schedule.nextFire(after: cursor))
            fires.append(iso(cursor)!)
        }
        #expect(fires == ["2026-10-24T23:00:00.000Z", "2026-10-25T00:00:00.000Z", "2026-10-25T02:00:00.000Z", "2026-10-25T03:00:00.000Z"])
    }

    @Test(arguments: ["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *", "1,,2 * * * *"])
    func malformedExpressionsAreRefused(expression: String) {
        #expect(throws: CronError.self) { try CronSchedule(expression) }
    }

    @Test func errorsNameTheField() {
        #expect(CronError.outOfRange("hour", "24", 0...23).description.contains("hour"))
        #expect(CronError.wrongFieldCount("* *", found: 2).description.contains("expected 5"))
    }
}
