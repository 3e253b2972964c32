/// A point in time with millisecond precision, written the way Commerce Layer writes it:
/// `2026-01-31T12:00:00.000Z`.
///
/// Ferry formats and parses timestamps itself: Foundation's date formatters are far too slow for
/// a path that touches every record, and a fixed-width UTC form sorts correctly as text, which is
/// how datasets store it.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Creates a timestamp from calendar fields in UTC.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        let days = Int64(Self.daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.millisecondsSinceEpoch = seconds * 1000 + Int64(millisecond)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The canonical text form, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var description: String { iso8601 }

    /// The canonical text form, `YYYY-MM-DDTHH:MM:SS.mmmZ`; equal widths make text order equal time order.
    public var iso8601: String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical text form's 24 bytes, without making a string on the way.
    public func appendISO8601(to bytes: inout [UInt8]) {
        var ms = millisecondsSinceEpoch
        var days = ms / 86_400_000
        ms %= 86_400_000
        if ms < 0 {
            ms += 86_400_000
            days -= 1
        }
        let (y, m, d) = Self.civilFromDays(Int(days))
        let secondsOfDay = Int(ms / 1000)
        func put(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                bytes.append(UInt8(48 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        put(y, width: 4); bytes.append(45)
        put(m, width: 2); bytes.append(45)
        put(d, width: 2); bytes.append(84)
        put(secondsOfDay / 3600, width: 2); bytes.append(58)
        put(secondsOfDay / 60 % 60, width: 2); bytes.append(58)
        put(secondsOfDay % 60, width: 2); bytes.append(46)
        put(Int(ms % 1000), width: 3); bytes.append(90)
    }

    /// Parses ISO 8601 text: a date (`2026-01-31`), or a date and time with optional fraction
    /// and a `Z` or `±HH:MM` offset (no offset means UTC). Returns `nil` for anything else.
    public init?(iso8601 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= b.count else { return nil }
            var v = 0
            for k in i..<(i + width) {
                let c = b[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += width
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2),
              (1...12).contains(mo), (1...Self.daysInMonth(year: y, month: mo)).contains(d)
        else { return nil }
        var h = 0, mi = 0, s = 0, ms = 0, offsetMinutes = 0
        if i < b.count {
            guard b[i] == 84 || b[i] == 32 else { return nil }  // 'T' or ' '
            i += 1
            guard let hh = number(2), expect(58), let mm = number(2), hh < 24, mm < 60 else { return nil }
            h = hh; mi = mm
            if expect(58) {
                guard let ss = number(2), ss < 60 else { return nil }
                s = ss
                if expect(46) {
                    var digits = 0
                    var fraction = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        if digits < 3 { fraction = fraction * 10 + Int(b[i] - 48) }
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in digits..<max(digits, 3) { fraction *= 10 }
                    ms = fraction
                }
            }
            if i < b.count {
                if b[i] == 90 {  // 'Z'
                    i += 1
                } else if b[i] == 43 || b[i] == 45 {  // '+' or '-'
                    let sign = b[i] == 45 ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect(58)
                    guard let om = number(2) else { return nil }
                    offsetMinutes = sign * (oh * 60 + om)
                } else {
                    return nil
                }
            }
        }
        guard i == b.count else { return nil }
        var t = Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms)
        t.millisecondsSinceEpoch -= Int64(offsetMinutes) * 60_000
        return t
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil calendar algorithms.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
