/// A fault found in one input while a file was read — text that is not UTF-8 — carried on the
/// record so that the importer refuses that input alone (nothing of it written) and logs it under
/// its key with the byte offset, while the rest of the file is imported.
///
/// The record keeps its other fields (the faulty text with U+FFFD in place of the bad bytes),
/// so that the importer can still tell which input it was.
public struct InputFault: Hashable, Sendable, CustomStringConvertible {
    /// The field whose value held the fault (a top-level field: `name`, or `prices` for a nested
    /// record's), or nil when it was in a field name.
    public var field: String?
    /// The 0-based byte offset of the first bad byte in the file (after gzip inflation).
    public var offset: Int

    /// Creates a fault.
    public init(field: String?, offset: Int) {
        self.field = field
        self.offset = offset
    }

    /// What an errors log says of the input.
    public var description: String { "is not valid UTF-8 (byte offset \(offset) of the file)" }

    /// The name of the field that carries a fault on a record. It is no attribute's name (no
    /// attribute holds a colon), so it never collides with data; readers only add it when their
    /// consumer refuses such records (the importer), and nothing writes it out.
    public static let recordField = "ferry:input_fault"

    /// The fault as a field value.
    var value: Value {
        .json(.object([JSONMember("field", field.map(JSONValue.string) ?? .null), JSONMember("offset", .int(Int64(offset)))]))
    }

    /// The fault a field value holds, if it is one.
    public init?(_ value: Value) {
        guard case .json(let json) = value, case .int(let offset)? = json["offset"] else { return nil }
        self.init(field: json["field"]?.stringValue, offset: Int(offset))
    }
}

extension Record {
    /// The fault found in the input this record was read from, if any (see ``InputFault``).
    public var inputFault: InputFault? {
        self[InputFault.recordField].flatMap(InputFault.init)
    }

    /// Marks the record as read from a faulty input; the first fault marked stays.
    public mutating func markInputFault(_ fault: InputFault) {
        guard inputFault == nil else { return }
        self[InputFault.recordField] = fault.value
    }
}
