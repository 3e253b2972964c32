extension ResourceType {
    /// The content hash of a record for types whose natural key is ``NaturalKey/contentHash``:
    /// 32 hex digits over the record's input attributes other than the standard ones, so the same
    /// address imported twice is matched, not duplicated.
    public func contentHash(of record: Record) -> String {
        var a = FNV1a(basis: 0xcbf2_9ce4_8422_2325)
        var b = FNV1a(basis: 0x8422_2325_cbf2_9ce4)
        for attribute in attributes where attribute.isInput && !Self.standardInputAttributes.contains(attribute.name) {
            guard let value = record[attribute.name], !value.isBlank else { continue }
            for part in [attribute.name, "=", Self.canonicalText(value), "\u{1F}"] {
                a.add(part)
                b.add(part)
            }
        }
        return a.hex + b.hex
    }

    /// Attributes every type has and that say nothing about what a record is.
    static let standardInputAttributes: Set<String> = ["reference", "reference_origin", "metadata"]

    static func canonicalText(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .timestamp(let t): return t.iso8601
        case .json(let j): return j.jsonText
        case .record(let r): return r.jsonValue.jsonText
        case .records(let rs): return JSONValue.array(rs.map(\.jsonValue)).jsonText
        }
    }
}

/// The 64-bit FNV-1a hash.
struct FNV1a {
    private(set) var state: UInt64

    init(basis: UInt64) { state = basis }

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }
    }

    var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
