import CLibXML2
import FerryCore

/// Source `xml`: records from an XML file in Ferry's format (`docs/xml-format.md`), gzip or plain,
/// read as a stream with libxml2's `xmlTextReader`: one record in memory at a time.
/// Its resume position is the number of records already read.
public struct XMLFileSource: SourceStage {
    /// The file read.
    public let path: String
    /// The records' type, when known (checked against the file's `type` attribute).
    public let resourceType: ResourceType?
    public var shape: RecordShape? { nil }

    /// Creates a source.
    public init(path: String, resourceType: ResourceType?) {
        self.path = path
        self.resourceType = resourceType
    }

    public func estimatedCount() async throws -> Int? { nil }

    public func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        let reader = try XMLRecordReader(path: path)
        try await RecordBatch.emitCounted(from: position, batchSize: batchSize, next: reader.next, emit: emit)
    }
}

/// Pulls records out of an XML document, element by element.
final class XMLRecordReader {
    private let reader: xmlTextReaderPtr
    private let path: String
    private var started = false
    private var count = 0

    private enum NodeType: Int32 {
        case element = 1, text = 3, cdata = 4, whitespace = 14, significantWhitespace = 13, endElement = 15
    }

    init(path: String) throws {
        guard let reader = xmlReaderForFile(path, nil, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)) else {
            throw FormatError.io(path: path, message: "cannot open the file")
        }
        self.reader = reader
        self.path = path
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    private func fail(_ message: String) -> FormatError {
        let node = xmlTextReaderCurrentNode(reader)
        let line = node.map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
        return .malformed(format: "xml", location: "\(path), line \(line), record \(count + 1)", message: message)
    }

    /// Advances; false at the end of the document.
    private func advance() throws -> Bool {
        let code = xmlTextReaderRead(reader)
        if code < 0 { throw fail("not well-formed XML") }
        return code == 1
    }

    private var type: NodeType? { NodeType(rawValue: xmlTextReaderNodeType(reader)) }
    private var name: String { xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "" }
    private var depth: Int32 { xmlTextReaderDepth(reader) }
    private var isEmpty: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    private func attribute(_ name: String) -> String? {
        guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return xmlTextReaderConstValue(reader).map { String(cString: $0) }
    }

    /// The next record, or nil after the last.
    func next() throws -> Record? {
        if !started {
            started = true
            while try advance() {
                if type == .element {
                    guard name == "records" else { throw fail("the root element must be <records>, not <\(name)>") }
                    break
                }
            }
        }
        while try advance() {
            switch type {
            case .element?:
                guard name == "record", depth == 1 else { throw fail("expected <record>, found <\(name)>") }
                let record = try readFields()
                count += 1
                return record
            case .endElement?:
                return nil  // </records>
            default:
                continue
            }
        }
        throw fail("the document ends before </records>")
    }

    /// Reads the fields of the element the reader is on, up to its end tag.
    private func readFields() throws -> Record {
        var record = Record()
        if isEmpty { return record }
        let level = depth
        while try advance() {
            switch type {
            case .element?:
                let fieldName = name == "field" ? (attribute("name") ?? "field") : name
                record.append(fieldName, try readValue())
            case .endElement? where depth == level:
                return record
            default:
                continue
            }
        }
        throw fail("a <record> is not closed")
    }

    /// Reads the value of the field element the reader is on.
    private func readValue() throws -> Value {
        if attribute("nil") == "true" {
            if !isEmpty { try skipToEnd() }
            return .null
        }
        let kind = attribute("type")
        if kind == "record" { return .record(try readFields()) }
        if kind == "records" {
            var records: [Record] = []
            if isEmpty { return .records(records) }
            let level = depth
            while try advance() {
                switch type {
                case .element?: records.append(try readFields())
                case .endElement? where depth == level: return .records(records)
                default: continue
                }
            }
            throw fail("a records list is not closed")
        }
        let field = name
        let text = isEmpty ? "" : try readText()
        func bad() -> FormatError { fail("<\(field) type=\"\(kind ?? "")\"> holds \(text.debugDescription)") }
        switch kind {
        case nil, "string"?: return .string(text)
        case "integer"?: guard let i = Int64(text) else { throw bad() }; return .int(i)
        case "float"?: guard let d = Double(text) else { throw bad() }; return .double(d)
        case "boolean"?: guard text == "true" || text == "false" else { throw bad() }; return .bool(text == "true")
        case "datetime"?: guard let t = Timestamp(iso8601: text) else { throw bad() }; return .timestamp(t)
        case "object"?, "array"?:
            guard let json = try? JSONParser.parse(text) else { throw bad() }
            return .json(json)
        default: throw fail("unknown type \"\(kind!)\" on <\(field)>")
        }
    }

    private func readText() throws -> String {
        let level = depth
        var text = ""
        while try advance() {
            switch type {
            case .text?, .cdata?, .significantWhitespace?, .whitespace?:
                if let value = xmlTextReaderConstValue(reader) { text += String(cString: value) }
            case .endElement? where depth == level:
                return text
            case .element?:
                throw fail("unexpected <\(name)> inside a value")
            default:
                continue
            }
        }
        throw fail("a value is not closed")
    }

    private func skipToEnd() throws {
        let level = depth
        while try advance() {
            if type == .endElement && depth == level { return }
        }
    }
}
