import FerryCore
import GRDB

extension Value {
    /// The value as SQLite stores it: booleans as 0 and 1, timestamps as ISO 8601 text, JSON as text.
    public var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .bool(let b): return (b ? 1 : 0).databaseValue
        case .int(let i): return i.databaseValue
        case .double(let d): return d.databaseValue
        case .string(let s): return s.databaseValue
        case .timestamp(let t): return t.iso8601.databaseValue
        case .json(let j): return j.jsonText.databaseValue
        case .record(let r): return r.jsonValue.jsonText.databaseValue
        case .records(let rs): return JSONValue.array(rs.map(\.jsonValue)).jsonText.databaseValue
        }
    }

    /// Reads a stored value back as a typed value of an attribute type.
    public init(databaseValue: DatabaseValue, as type: AttributeType) {
        switch (type, databaseValue.storage) {
        case (_, .null): self = .null
        case (.boolean, .int64(let i)): self = .bool(i != 0)
        case (.integer, .int64(let i)): self = .int(i)
        case (.float, .double(let d)): self = .double(d)
        case (.float, .int64(let i)): self = .double(Double(i))
        case (.datetime, .string(let s)): self = Timestamp(iso8601: s).map(Value.timestamp) ?? .string(s)
        case (.object, .string(let s)), (.array, .string(let s)):
            self = (try? JSONParser.parse(s)).map(Value.json) ?? .string(s)
        case (_, .string(let s)): self = .string(s)
        case (_, .int64(let i)): self = .int(i)
        case (_, .double(let d)): self = .double(d)
        case (_, .blob): self = .null
        }
    }
}
