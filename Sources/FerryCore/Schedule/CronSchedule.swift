import Foundation

/// A standard five-field cron schedule (`minute hour day-of-month month day-of-week`) in a time
/// zone, as pipeline files give it: lists (`1,15`), ranges (`1-5`), steps (`*/10`, `8-18/2`),
/// month and day names (`jan`, `mon`), `7` for Sunday, and the macros `@hourly`, `@daily`,
/// `@weekly`, `@monthly` and `@yearly`. When both day fields are restricted a day matching either
/// fires, as in classic cron.
///
/// Times are wall-clock times of the zone: a time skipped by a daylight-saving change does not
/// fire that day, and a time that occurs twice fires once, at its first occurrence.
public struct CronSchedule: Hashable, Sendable {
    /// The expression as given.
    public let expression: String
    /// The zone the wall-clock times are in.
    public let timeZone: TimeZone
    let minutes: Set<Int>, hours: Set<Int>, daysOfMonth: Set<Int>, months: Set<Int>, daysOfWeek: Set<Int>
    let daysOfMonthRestricted: Bool, daysOfWeekRestricted: Bool

    /// Parses an expression, refusing anything malformed with the field at fault.
    public init(_ expression: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws(CronError) {
        self.expression = expression
        self.timeZone = timeZone
        let macros = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
                      "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"]
        let text = macros[expression.trimmingCharacters(in: .whitespaces).lowercased()] ?? expression
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else { throw .wrongFieldCount(expression, found: fields.count) }
        let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [:])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [:])
        daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31, names: [:])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Dictionary(uniqueKeysWithValues: monthNames.enumerated().map { ($1, $0 + 1) }))
        var week = try Self.field(fields[4], name: "day of week", range: 0...7, names: Dictionary(uniqueKeysWithValues: dayNames.enumerated().map { ($1, $0) }))
        if week.remove(7) != nil { week.insert(0) }
        daysOfWeek = week
        daysOfMonthRestricted = fields[2] != "*" && !fields[2].hasPrefix("*/")
        daysOfWeekRestricted = fields[4] != "*" && !fields[4].hasPrefix("*/")
    }

    static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String: Int]) throws(CronError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else { throw .invalidField(name, String(part)) }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw .invalidField(name, String(part)) }
                step = s
            }
            func value(_ token: Substring) throws(CronError) -> Int {
                guard let v = Int(token) ?? names[String(token)], range.contains(v) else {
                    throw .outOfRange(name, String(token), range)
                }
                return v
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try value(pieces[0][..<dash]), high = try value(pieces[0][pieces[0].index(after: dash)...])
                guard low <= high else { throw .invalidField(name, String(part)) }
                bounds = low...high
            } else {
                let single = try value(pieces[0])
                bounds = single...(pieces.count == 2 ? range.upperBound : single)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    /// The first time strictly after `date` at which the schedule fires, within the next eight years.
    public func nextFire(after date: Date) -> Date? {
        var local = LocalTime(Int64(date.timeIntervalSince1970.rounded(.down)), in: timeZone)
        local.advanceMinute()
        let limit = local.year + 8
        while local.year <= limit {
            guard months.contains(local.month) else { local.advanceMonth(); continue }
            guard dayMatches(local) else { local.advanceDay(); continue }
            guard hours.contains(local.hour) else { local.advanceHour(); continue }
            guard minutes.contains(local.minute) else { local.advanceMinute(); continue }
            if let instant = local.firstInstant(in: timeZone), instant > date.timeIntervalSince1970 {
                return Date(timeIntervalSince1970: instant)
            }
            local.advanceMinute()  // a wall-clock time the zone skips
        }
        return nil
    }

    func dayMatches(_ local: LocalTime) -> Bool {
        let dom = daysOfMonth.contains(local.day), dow = daysOfWeek.contains(local.weekday)
        if daysOfMonthRestricted && daysOfWeekRestricted { return dom || dow }
        return dom && dow
    }
}

/// A wall-clock minute of a time zone, stepped field by field.
struct LocalTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int

    init(_ seconds: Int64, in zone: TimeZone) {
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let t = Timestamp(millisecondsSinceEpoch: (seconds + offset) * 1000)
        let text = t.iso8601  // YYYY-MM-DDTHH:MM
        let b = Array(text.utf8)
        func n(_ from: Int, _ count: Int) -> Int { b[from..<(from + count)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        (year, month, day, hour, minute) = (n(0, 4), n(5, 2), n(8, 2), n(11, 2), n(14, 2))
    }

    /// 0 is Sunday.
    var weekday: Int { (Timestamp.daysFromCivil(year: year, month: month, day: day) % 7 + 11) % 7 }

    mutating func advanceMinute() {
        minute += 1
        if minute == 60 { minute = 0; advanceHour() }
    }

    mutating func advanceHour() {
        minute = 0
        hour += 1
        if hour == 24 { hour = 0; advanceDayKeepingTime() }
    }

    mutating func advanceDay() {
        hour = 0
        minute = 0
        advanceDayKeepingTime()
    }

    private mutating func advanceDayKeepingTime() {
        day += 1
        if day > Timestamp.daysInMonth(year: year, month: month) { day = 1; month += 1 }
        if month == 13 { month = 1; year += 1 }
    }

    mutating func advanceMonth() {
        (day, hour, minute) = (1, 0, 0)
        month += 1
        if month == 13 { month = 1; year += 1 }
    }

    /// The earliest instant (seconds since the epoch) showing this wall-clock time, or nil when
    /// the zone skips it.
    func firstInstant(in zone: TimeZone) -> TimeInterval? {
        let wall = Int64(Timestamp(year: year, month: month, day: day, hour: hour, minute: minute).millisecondsSinceEpoch / 1000)
        // The offset in force is one of those around the wall time; try each and keep what maps back.
        let candidates = Set([-86_400, 0, 86_400].map { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + $0)))) })
            .map { wall - $0 }
            .filter { LocalTime($0, in: zone).matches(self) }
        return candidates.min().map(TimeInterval.init)
    }

    func matches(_ other: LocalTime) -> Bool {
        (year, month, day, hour, minute) == (other.year, other.month, other.day, other.hour, other.minute)
    }
}

/// A cron expression that cannot be used.
public enum CronError: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongFieldCount(String, found: Int)
    case invalidField(String, String)
    case outOfRange(String, String, ClosedRange<Int>)

    public var description: String {
        switch self {
        case .wrongFieldCount(let expression, let found):
            return "cron expression '\(expression)' has \(found) fields; expected 5 (minute hour day-of-month month day-of-week) or a macro such as @daily"
        case .invalidField(let field, let text): return "cron \(field) field: '\(text)' is not a value, range, list or step"
        case .outOfRange(let field, let text, let range): return "cron \(field) field: '\(text)' is outside \(range.lowerBound)-\(range.upperBound)"
        }
    }
}
