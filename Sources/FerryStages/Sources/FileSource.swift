import FerryCore
import Foundation

/// Source `file`: records from a JSON (array), NDJSON or CSV file, gzip-compressed or plain
/// (detected from the bytes). The file is read in chunks; only one record is parsed at a time.
/// Its resume position is the number of records already read.
///
/// Text must be UTF-8. A record holding bytes that are not fails the read with their byte
/// offset, unless ``marksFaultyInputs`` is set (for the importer): the record is then passed on
/// marked with an ``InputFault``, for the importer to refuse it alone and import the rest.
public struct FileSource: SourceStage {
    /// The file read.
    public let path: String
    /// The format.
    public let format: OutputFormat
    /// The resource type of the records, when known; values are then typed by the catalog.
    public let resourceType: ResourceType?
    /// The catalog that types values and nested records.
    public let catalog: ResourceCatalog
    /// Whether a record with invalid UTF-8 is passed on marked (``Record/inputFault``) rather
    /// than failing the read.
    public let marksFaultyInputs: Bool
    public var shape: RecordShape? { nil }

    /// Creates a source.
    public init(path: String, format: OutputFormat, resourceType: ResourceType?, catalog: ResourceCatalog, marksFaultyInputs: Bool = false) {
        self.path = path
        self.format = format
        self.resourceType = resourceType
        self.catalog = catalog
        self.marksFaultyInputs = marksFaultyInputs
    }

    public func estimatedCount() async throws -> Int? { nil }

    public func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        var reader = try RecordFileReader(path: path, format: format, resourceType: resourceType, catalog: catalog, marksFaultyInputs: marksFaultyInputs)
        try await RecordBatch.emitCounted(from: position, batchSize: batchSize, next: { try reader.next() }, emit: emit)
    }
}

/// Reads records one at a time from a file in one of the output formats.
struct RecordFileReader {
    private var bytes: ByteStream
    private let format: OutputFormat
    private let resourceType: ResourceType?
    private let catalog: ResourceCatalog
    private let decoding: RecordDecoding
    private var names: [String] = []
    private var memo = RecordDecoding.Memo()
    private var index = 0
    private var started = false
    private var csvHeader: [String]?
    private let path: String
    private let marksFaultyInputs: Bool

    init(path: String, format: OutputFormat, resourceType: ResourceType?, catalog: ResourceCatalog, marksFaultyInputs: Bool = false) throws {
        self.path = path
        self.format = format
        self.resourceType = resourceType
        self.catalog = catalog
        self.marksFaultyInputs = marksFaultyInputs
        decoding = RecordDecoding(catalog: catalog)
        bytes = try ByteStream(path: path)
    }

    /// A JSON fault of the record that starts at byte `start`, placed in the file.
    private func malformed(_ error: JSONParseError, recordAt start: Int) -> FormatError {
        malformed("\(error.message) at byte offset \(start + error.offset)", line: bytes.line)
    }

    private func malformed(_ message: String, line: Int? = nil) -> FormatError {
        .malformed(format: format.rawValue, location: "\(path), record \(index + 1)" + (line.map { ", line \($0)" } ?? ""), message: message)
    }

    mutating func next() throws -> Record? {
        switch format {
        case .ndjson:
            while true {
                let start = bytes.offset
                guard let line = try bytes.nextLine() else { return nil }
                if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                return try record(fromJSON: line, at: start)
            }
        case .json:
            if !started {
                started = true
                try bytes.skipWhitespace()
                guard try bytes.take() == 91 else { throw malformed("a JSON export must be one array") }
            }
            try bytes.skipWhitespace()
            guard let next = try bytes.peek() else { throw malformed("the array is not closed") }
            if next == 93 { return nil }
            if index > 0 {
                guard next == 44 else { throw malformed("expected ',' between records") }
                _ = try bytes.take()
                try bytes.skipWhitespace()
            }
            // Parsed in place in the stream's buffer; the names memo is moved out meanwhile, as the
            // stream is being changed.
            var names: [String] = []
            swap(&names, &self.names)
            defer { swap(&names, &self.names) }
            let start = bytes.offset
            let marks = marksFaultyInputs
            let parsed: (value: JSONValue, invalidUTF8: JSONParseError?)
            do {
                parsed = try bytes.withNextJSONValueBytes { element in
                    do {
                        return (try JSONParser.parse(element, names: &names), nil)
                    } catch let error as JSONParseError where error.reason == .invalidUTF8 && marks {
                        // The element's bounds are known without it, so the parse can go on past
                        // the bad bytes, to the record's key, and the next record after it.
                        return try JSONParser.parseReplacingInvalidUTF8(element, names: &names)
                    }
                }
            } catch let error as JSONParseError {
                throw malformed(error, recordAt: start)
            }
            var record = try record(from: parsed.value)
            if let fault = parsed.invalidUTF8 { record.markInputFault(InputFault(field: fault.member, offset: start + fault.offset)) }
            return record
        case .csv:
            if csvHeader == nil {
                guard let header = try CSVRowReader.nextRow(&bytes) else { return nil }
                if let offset = header.lazy.compactMap(\.invalidUTF8Offset).first {
                    throw malformed("the header is not valid UTF-8 at byte offset \(offset)", line: bytes.line)
                }
                csvHeader = header.map { $0.text }
            }
            guard let row = try CSVRowReader.nextRow(&bytes) else { return nil }
            guard let header = csvHeader, row.count == header.count else {
                throw malformed("expected \(csvHeader?.count ?? 0) cells, found \(row.count)", line: bytes.line)
            }
            index += 1
            var record = try CSVDecoder.record(header: header, cells: row, type: resourceType, catalog: catalog, decoding: decoding)
            if let column = row.firstIndex(where: { $0.invalidUTF8Offset != nil }), let offset = row[column].invalidUTF8Offset {
                guard marksFaultyInputs else {
                    throw malformed("column \(header[column]) is not valid UTF-8 at byte offset \(offset)", line: bytes.line)
                }
                record.markInputFault(InputFault(field: header[column], offset: offset))
            }
            return record
        }
    }

    private mutating func record(fromJSON line: [UInt8], at start: Int) throws -> Record {
        let value: JSONValue
        var fault: JSONParseError?
        do {
            value = try JSONParser.parse(line, names: &names)
        } catch where error.reason == .invalidUTF8 && marksFaultyInputs {
            do {
                (value, fault) = try line.withUnsafeBufferPointer { try JSONParser.parseReplacingInvalidUTF8($0, names: &names) }
            } catch let error as JSONParseError {
                throw malformed(error, recordAt: start)
            }
        } catch {
            throw malformed(error, recordAt: start)
        }
        var record = try record(from: value)
        if let fault { record.markInputFault(InputFault(field: fault.member, offset: start + fault.offset)) }
        return record
    }

    private mutating func record(from value: JSONValue) throws -> Record {
        guard case .object = value else { throw malformed("a record must be a JSON object") }
        index += 1
        return decoding.record(from: value, type: resourceType?.name, memo: &memo)
    }
}
