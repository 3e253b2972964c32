import FerryCore

/// One CSV cell: its text and whether it was quoted (which tells `""` from an empty cell).
struct CSVCell {
    var text: String
    var quoted: Bool
}

/// Splits RFC 4180 rows (quoted cells may hold commas, quotes and line breaks).
enum CSVRowReader {
    static func nextRow(_ bytes: inout ByteStream) throws -> [CSVCell]? {
        guard try bytes.peek() != nil else { return nil }
        var cells: [CSVCell] = []
        var cell: [UInt8] = []
        var quoted = false
        var inQuotes = false
        while true {
            guard let byte = try bytes.take() else {
                if inQuotes { throw FormatError.malformed(format: "csv", location: "line \(bytes.line)", message: "a quoted cell is not closed") }
                cells.append(CSVCell(text: String(decoding: cell, as: UTF8.self), quoted: quoted))
                return cells
            }
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
                cells.append(CSVCell(text: String(decoding: cell, as: UTF8.self), quoted: quoted))
                cell = []
                quoted = false
            case 13 where try bytes.peek() == 10:
                continue
            case 10:
                cells.append(CSVCell(text: String(decoding: cell, as: UTF8.self), quoted: quoted))
                return cells
            default:
                cell.append(byte)
            }
        }
    }
}

/// Turns CSV cells back into records: the reverse of ``CSVEncoder``, typed by the catalog.
enum CSVDecoder {
    static func record(header: [String], cells: [CSVCell], type: ResourceType?, catalog: ResourceCatalog) throws -> Record {
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
                let json = (try? JSONParser.parse(text)) ?? .array([])
                let target = catalog[relationship.target]
                if case .array(let items) = json {
                    record.append(name, .records(items.map { RecordDecoding.record(from: $0, type: target, catalog: catalog) }))
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

/// Turns JSON objects into records, typed by the catalog when the type is known.
enum RecordDecoding {
    static func record(from json: JSONValue, type: ResourceType?, catalog: ResourceCatalog) -> Record {
        guard case .object(let members) = json else { return Record() }
        var record = Record()
        for member in members {
            record.append(member.key, value(member.value, field: member.key, type: type, catalog: catalog))
        }
        return record
    }

    static func value(_ json: JSONValue, field: String, type: ResourceType?, catalog: ResourceCatalog) -> Value {
        if let type, let relationship = type.relationship(named: field) {
            let target = catalog[relationship.target]
            switch json {
            case .object: return .record(record(from: json, type: target, catalog: catalog))
            case .array(let items): return .records(items.map { record(from: $0, type: target, catalog: catalog) })
            default: break
            }
        }
        switch (json, type?.attribute(named: field)?.type) {
        case (.int(let i), .float?): return .double(Double(i))
        case (.string(let s), .datetime?): return Timestamp(iso8601: s).map(Value.timestamp) ?? .string(s)
        default: return Value(json)
        }
    }
}
