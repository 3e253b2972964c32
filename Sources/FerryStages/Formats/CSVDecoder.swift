import FerryCore

/// One CSV cell: its text and whether it was quoted (which tells `""` from an empty cell).
struct CSVCell {
    var text: String
    var quoted: Bool
    /// The byte offset in the file of the first byte that is not UTF-8, if any; the text then
    /// holds U+FFFD in its place, and the reader refuses the cell's record.
    var invalidUTF8Offset: Int? = nil
}

/// Splits RFC 4180 rows (quoted cells may hold commas, quotes and line breaks).
enum CSVRowReader {
    static func nextRow(_ bytes: inout ByteStream) throws -> [CSVCell]? {
        guard try bytes.peek() != nil else { return nil }
        var cells: [CSVCell] = []
        var cell: [UInt8] = []
        var quoted = false
        var inQuotes = false
        // The bytes with the high bit set, ORed: a cell is checked as UTF-8 only when it has one.
        var high: UInt8 = 0
        var cellStart = bytes.offset
        func finish() {
            var made = CSVCell(text: String(decoding: cell, as: UTF8.self), quoted: quoted)
            if high & 0x80 != 0, let bad = UTF8Validation.firstInvalidOffset(in: cell) {
                // Back from the cell's text to the file: the opening quote, and each quote of
                // the text written twice.
                let doubled = quoted ? cell[..<bad].reduce(0) { $0 + ($1 == 34 ? 1 : 0) } : 0
                made.invalidUTF8Offset = cellStart + (quoted ? 1 : 0) + bad + doubled
            }
            cells.append(made)
        }
        while true {
            guard let byte = try bytes.take() else {
                if inQuotes { throw FormatError.malformed(format: "csv", location: "line \(bytes.line)", message: "a quoted cell is not closed") }
                finish()
                return cells
            }
            high |= byte
            if inQuotes {
                if byte == 34 {
                    if try bytes.peek() == 34 {
                        _ = try bytes.take()
                        cell.append(34)
                    } else {
                        inQuotes = false
                    }
                } else {
                    cell.append(byte)
                }
                continue
            }
            switch byte {
            case 34 where cell.isEmpty && !quoted:
                inQuotes = true
                quoted = true
            case 44:
                finish()
                cell = []
                quoted = false
                high = 0
                cellStart = bytes.offset
            case 13 where try bytes.peek() == 10:
                continue
            case 10:
                finish()
                return cells
            default:
                cell.append(byte)
            }
        }
    }
}

/// Turns CSV cells back into records: the reverse of ``CSVEncoder``, typed by the catalog.
enum CSVDecoder {
    static func record(header: [String], cells: [CSVCell], type: ResourceType?, catalog: ResourceCatalog, decoding: RecordDecoding) throws -> Record {
        var record = Record()
        var nested: [String: Record] = [:]
        var order: [String] = []
        for (name, cell) in zip(header, cells) {
            var text = cell.text
            if cell.quoted, text.first == "'" { text.removeFirst() }  // formula neutralisation
            let dot = name.firstIndex(of: ".")
            let isEmpty = text.isEmpty && !cell.quoted
            if let dot {
                let relationship = String(name[..<dot]), field = String(name[name.index(after: dot)...])
                if nested[relationship] == nil {
                    nested[relationship] = Record()
                    order.append(relationship)
                    record.append(relationship, .null)
                }
                let target = type?.relationship(named: relationship).flatMap { catalog[$0.target] }
                if !isEmpty { nested[relationship]![field] = value(text, field: field, type: target) }
            } else if isEmpty {
                record.append(name, .null)
            } else if let relationship = type?.relationship(named: name), !relationship.isToOne {
                if case .array(let items)? = try? JSONParser.parse(text) {
                    record.append(name, .records(items.map { decoding.record(from: $0, type: relationship.target) }))
                } else {
                    record.append(name, .string(text))  // a list of names (`red,blue`), as Commerce Layer takes tags
                }
            } else {
                record.append(name, value(text, field: name, type: type))
            }
        }
        for relationship in order {
            let nestedRecord = nested[relationship]!
            record[relationship] = nestedRecord.count == 0 ? .null : .record(nestedRecord)
        }
        return record
    }

    static func value(_ text: String, field: String, type: ResourceType?) -> Value {
        switch type?.attribute(named: field)?.type {
        case .integer?: return Int64(text).map(Value.int) ?? .string(text)
        case .float?: return Double(text).map(Value.double) ?? .string(text)
        case .boolean?: return text == "true" ? .bool(true) : (text == "false" ? .bool(false) : .string(text))
        case .datetime?: return Timestamp(iso8601: text).map(Value.timestamp) ?? .string(text)
        case .object?, .array?: return (try? JSONParser.parse(text)).map(Value.json) ?? .string(text)
        case .string?, nil: return .string(text)
        }
    }
}
