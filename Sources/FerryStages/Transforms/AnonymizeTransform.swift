import FerryCore

/// Transform `anonymize`: replaces personal data with deterministic fakes, so live customers can
/// be copied into test: the same input and salt always give the same fake (an email stays the
/// same email across customers, orders and addresses), and different inputs rarely collide.
///
/// Each named field is faked by what its name says: `*email*` an address at example.com,
/// `first_name`/`last_name`/`*name*` a name, `*phone*` a phone number, `line_1`/`line_2`/`*street*`
/// a street; anything else a token. Nested (included) records are anonymized too.
public struct AnonymizeTransform: RecordStage {
    /// The fields to anonymize.
    public let fields: Set<String>
    /// Mixed into every hash, so fakes cannot be matched against a dictionary of known values.
    public let salt: String

    /// The fields anonymized when none are named.
    public static let defaultFields = ["email", "customer_email", "recipient_email", "first_name", "last_name", "company", "phone", "line_1", "line_2", "notes", "billing_info"]

    /// Creates the stage.
    public init(fields: [String], salt: String) {
        self.fields = Set(fields)
        self.salt = salt
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        records.map(anonymize)
    }

    func anonymize(_ record: Record) -> Record {
        var out = Record()
        for (name, value) in record.fields {
            switch value {
            case .record(let nested): out.append(name, .record(anonymize(nested)))
            case .records(let nested): out.append(name, .records(nested.map(anonymize)))
            case .string(let text) where fields.contains(name) && !text.isEmpty: out.append(name, .string(fake(text, field: name)))
            default: out.append(name, value)
            }
        }
        return out
    }

    static let firstNames = ["Alex", "Sam", "Robin", "Charlie", "Jamie", "Morgan", "Taylor", "Jordan", "Casey", "Riley", "Avery", "Quinn"]
    static let lastNames = ["Doe", "Roe", "Smith", "Brown", "Lee", "Moreau", "Rossi", "Novak", "Berg", "Silva", "Kato", "Meyer"]
    static let streets = ["Sample Street", "Example Road", "Placeholder Avenue", "Test Lane", "Demo Square"]

    func fake(_ text: String, field: String) -> String {
        let h = hash(text.lowercased())
        func pick(_ list: [String], _ shift: UInt64) -> String { list[Int((h >> shift) % UInt64(list.count))] }
        let token = String(h % 1_000_000_000, radix: 36)
        if field.contains("email") { return "user-\(token)@example.com" }
        if field == "first_name" { return pick(Self.firstNames, 8) }
        if field == "last_name" { return pick(Self.lastNames, 16) }
        if field.contains("name") || field == "company" { return "\(pick(Self.firstNames, 8)) \(pick(Self.lastNames, 16))" }
        if field.contains("phone") { return "+1 555 \(String(1_000_000 + h % 9_000_000))" }
        if field.hasPrefix("line_") || field.contains("street") { return "\(1 + h % 200) \(pick(Self.streets, 24))" }
        return "anon-\(token)"
    }

    func hash(_ text: String) -> UInt64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (salt + "\u{1F}" + text).utf8 {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }
        state ^= state >> 33
        state = state &* 0xff51_afd7_ed55_8ccd
        return state ^ (state >> 33)
    }
}
