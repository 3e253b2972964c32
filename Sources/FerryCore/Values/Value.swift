/// One typed value of a record's attribute.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case timestamp(Timestamp)
    /// A JSON object or array attribute (`metadata`, `rules`, …).
    case json(JSONValue)
    /// A nested belongs-to record, as an `include` writes it.
    case record(Record)
    /// Nested has-many records, as an `include` writes them.
    case records([Record])

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether dry data leaves this value out: null, an empty string, an empty array or an empty object.
    public var isBlank: Bool {
        switch self {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .json(let j): return j.isEmpty
        case .records(let r): return r.isEmpty
        default: return false
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, when this is an integer.
    public var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The number as a `Double`, when this is an integer or a double.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The value as a JSON document (nested records become objects).
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .timestamp(let t): return .string(t.iso8601)
        case .json(let j): return j
        case .record(let r): return r.jsonValue
        case .records(let rs): return .array(rs.map(\.jsonValue))
        }
    }
}

extension Value {
    /// A value from a JSON document: scalars as themselves, objects and arrays as `.json`.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array, .object: self = .json(json)
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
}
