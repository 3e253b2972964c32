import CLibXML2
import FerryCore

/// Writes records as XML with libxml2's `xmlTextWriter` (SPEC §6, `docs/xml-format.md`):
///
/// ```xml
/// <?xml version="1.0" encoding="UTF-8"?>
/// <records xmlns="https://ferry.dev/xml/1" type="skus">
///   <record>
///     <code>SKU-1</code>
///     <weight type="float">12.5</weight>
///     <description nil="true"/>
///     <prices type="records"><record>…</record></prices>
///   </record>
/// </records>
/// ```
///
/// Strings carry no `type`; other values say theirs (`integer`, `float`, `boolean`, `datetime`,
/// `object`, `array` — JSON text —, `record`, `records`), and null is `nil="true"`. A field whose
/// name is not a valid XML name is written `<field name="…">`.
struct XMLRecordEncoder: RecordEncoder {
    let resourceType: String?
    private let writer = XMLTextWriterBox()

    init(resourceType: String?) {
        self.resourceType = resourceType
    }

    var state: [String] { [] }

    // The declaration and the root element are written here rather than through the writer, so
    // each record's bytes stand alone: a resumed export needs no writer state from the run it
    // continues, and its file is byte-identical to an uninterrupted one.
    mutating func prologue(firstRecord: Record?) -> [UInt8] {
        let type = resourceType.map { " type=\"\(XMLTextWriterBox.escapeAttribute($0))\"" } ?? ""
        return Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<records xmlns=\"\(XMLTextWriterBox.namespace)\"\(type)>\n".utf8)
    }

    mutating func encode(_ record: Record, index: Int, into output: inout JSONWriter) {
        writer.element("record") { writer.fields(record) }
        output.bytes.append(contentsOf: writer.take())
    }

    func epilogue(count: Int) -> [UInt8] {
        Array("</records>\n".utf8)
    }
}

/// The libxml2 writer and its memory buffer. The runner drives an encoder from one task at a
/// time, which is what makes this reference type safe to share as `Sendable`.
final class XMLTextWriterBox: @unchecked Sendable {
    private var buffer: xmlBufferPtr?
    private var writer: xmlTextWriterPtr?
    static let namespace = "https://ferry.dev/xml/1"

    init() {
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        if let buffer { xmlBufferFree(buffer) }
    }

    /// Text safe inside a double-quoted attribute.
    static func escapeAttribute(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The bytes written since the last call.
    func take() -> [UInt8] {
        xmlTextWriterFlush(writer)
        guard let buffer, let content = xmlBufferContent(buffer) else { return [] }
        let count = Int(xmlBufferLength(buffer))
        let bytes = Array(UnsafeBufferPointer(start: content, count: count))
        xmlBufferEmpty(buffer)
        return bytes
    }

    func element(_ name: String, attributes: [(String, String)] = [], _ body: () -> Void) {
        xmlTextWriterStartElement(writer, name)
        for (key, value) in attributes { xmlTextWriterWriteAttribute(writer, key, value) }
        body()
        xmlTextWriterFullEndElement(writer)
    }

    func fields(_ record: Record) {
        for (name, value) in record.fields { field(name, value) }
    }

    func field(_ name: String, _ value: Value) {
        let valid = Self.isXMLName(name)
        let elementName = valid ? name : "field"
        var attributes: [(String, String)] = valid ? [] : [("name", name)]
        func text(_ type: String?, _ content: String) {
            if let type { attributes.append(("type", type)) }
            xmlTextWriterStartElement(writer, elementName)
            for (key, value) in attributes { xmlTextWriterWriteAttribute(writer, key, value) }
            xmlTextWriterWriteString(writer, content)
            xmlTextWriterEndElement(writer)
        }
        switch value {
        case .null:
            attributes.append(("nil", "true"))
            xmlTextWriterStartElement(writer, elementName)
            for (key, value) in attributes { xmlTextWriterWriteAttribute(writer, key, value) }
            xmlTextWriterEndElement(writer)
        case .string(let s): text(nil, s)
        case .int(let i): text("integer", String(i))
        case .double(let d): text("float", String(d))
        case .bool(let b): text("boolean", b ? "true" : "false")
        case .timestamp(let t): text("datetime", t.iso8601)
        case .json(let j):
            if case .array = j { text("array", j.jsonText) } else { text("object", j.jsonText) }
        case .record(let nested):
            element(elementName, attributes: attributes + [("type", "record")]) { fields(nested) }
        case .records(let nested):
            element(elementName, attributes: attributes + [("type", "records")]) {
                for record in nested { element("record") { fields(record) } }
            }
        }
    }

    static func isXMLName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic, !name.lowercased().hasPrefix("xml") else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || $0 == "." || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
