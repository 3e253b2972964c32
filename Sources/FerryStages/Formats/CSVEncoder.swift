import FerryCore

/// Writes RFC 4180 CSV: a header line, then exactly one line per record.
///
/// Plain fields are columns; a nested belongs-to record becomes `rel.attribute` columns; nested
/// has-many records become one column holding their JSON array. Null is an empty cell and the
/// empty string a quoted empty cell (`""`), so a reader tells them apart. A text cell that a
/// spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return), or
/// that starts with `'`, gets a leading `'`; ``CSVDecoder`` removes exactly that one.
struct CSVEncoder: RecordEncoder {
    /// How one column is read from a record.
    enum Column: Hashable, Sendable {
        case field(String)
        case nested(String, String)
        case many(String)

        var header: String {
            switch self {
            case .field(let name), .many(let name): return name
            case .nested(let relationship, let field): return relationship + "." + field
            }
        }
    }

    private(set) var columns: [Column]

    init(shape: RecordShape?, columns saved: [String]?) {
        if let saved {
            columns = saved.map(Self.column(fromHeader:))
        } else if let shape {
            columns = Self.columns(of: shape)
        } else {
            columns = []
        }
    }

    static func columns(of shape: RecordShape) -> [Column] {
        shape.fields.flatMap { field -> [Column] in
            switch field.kind {
            case .value: return [.field(field.name)]
            case .many: return [.many(field.name)]
            case .one(let nested):
                return nested.fields.compactMap { inner in
                    if case .value = inner.kind { return .nested(field.name, inner.name) }
                    return nil
                }
            }
        }
    }

    static func column(fromHeader header: String) -> Column {
        if header.hasPrefix("*") { return .many(String(header.dropFirst())) }
        let parts = header.split(separator: ".", maxSplits: 1).map(String.init)
        return parts.count == 2 ? .nested(parts[0], parts[1]) : .field(header)
    }

    var state: [String] {
        columns.map { column in
            if case .many(let name) = column { return "*" + name }
            return column.header
        }
    }

    mutating func prologue(firstRecord: Record?) -> [UInt8] {
        if columns.isEmpty, let firstRecord {
            columns = firstRecord.fields.map { name, value in
                if case .records = value { return .many(name) }
                return .field(name)
            }
        }
        var writer = JSONWriter(capacity: 256)
        for (i, column) in columns.enumerated() {
            if i > 0 { writer.bytes.append(44) }
            Self.writeText(column.header, into: &writer, neutralise: false)
        }
        writer.bytes.append(contentsOf: [13, 10])
        return writer.bytes
    }

    func encode(_ record: Record, index: Int, into writer: inout JSONWriter) {
        for (i, column) in columns.enumerated() {
            if i > 0 { writer.bytes.append(44) }
            switch column {
            case .field(let name), .many(let name):
                Self.writeCell(record[name] ?? .null, into: &writer)
            case .nested(let relationship, let field):
                if case .record(let nested)? = record[relationship] {
                    Self.writeCell(nested[field] ?? .null, into: &writer)
                }
            }
        }
        writer.bytes.append(contentsOf: [13, 10])
    }

    func epilogue(count: Int) -> [UInt8] { [] }

    static func writeCell(_ value: Value, into writer: inout JSONWriter) {
        switch value {
        case .null: break
        case .bool(let b): writer.writeBool(b)
        case .int(let i): writer.writeInt(i)
        case .double(let d): writer.writeDouble(d)
        case .string(let s): writeText(s, into: &writer, neutralise: true)
        case .timestamp(let t): t.appendISO8601(to: &writer.bytes)
        case .json, .record, .records:
            var inner = JSONWriter(capacity: 256)
            inner.write(value)
            writeText(String(decoding: inner.bytes, as: UTF8.self), into: &writer, neutralise: false)
        }
    }

    static let formulaStarts: Set<UInt8> = [61, 43, 45, 64, 9, 13, 39]  // = + - @ \t \r '

    static func writeText(_ text: String, into writer: inout JSONWriter, neutralise: Bool) {
        let utf8 = text.utf8
        if utf8.isEmpty {
            writer.bytes.append(contentsOf: [34, 34])
            return
        }
        let prefix = neutralise && formulaStarts.contains(utf8.first!)
        let needsQuotes = prefix || utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 } || utf8.first == 32 || utf8.last == 32
        if !needsQuotes {
            writer.bytes.append(contentsOf: utf8)
            return
        }
        writer.bytes.append(34)
        if prefix { writer.bytes.append(39) }
        for byte in utf8 {
            if byte == 34 { writer.bytes.append(34) }
            writer.bytes.append(byte)
        }
        writer.bytes.append(34)
    }
}
