import FerryCore
import Foundation

/// Source `file`: records from a JSON (array), NDJSON or CSV file, gzip-compressed or plain
/// (detected from the bytes). The file is read in chunks; only one record is parsed at a time.
/// Its resume position is the number of records already read.
public struct FileSource: SourceStage {
    /// The file read.
    public let path: String
    /// The format.
    public let format: OutputFormat
    /// The resource type of the records, when known; values are then typed by the catalog.
    public let resourceType: ResourceType?
    /// The catalog that types values and nested records.
    public let catalog: ResourceCatalog
    public var shape: RecordShape? { nil }

    /// Creates a source.
    public init(path: String, format: OutputFormat, resourceType: ResourceType?, catalog: ResourceCatalog) {
        self.path = path
        self.format = format
        self.resourceType = resourceType
        self.catalog = catalog
    }

    public func estimatedCount() async throws -> Int? { nil }

    public func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        var reader = try RecordFileReader(path: path, format: format, resourceType: resourceType, catalog: catalog)
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

    init(path: String, format: OutputFormat, resourceType: ResourceType?, catalog: ResourceCatalog) throws {
        self.path = path
        self.format = format
        self.resourceType = resourceType
        self.catalog = catalog
        decoding = RecordDecoding(catalog: catalog)
        bytes = try ByteStream(path: path)
    }

    private func malformed(_ message: String, line: Int? = nil) -> FormatError {
        .malformed(format: format.rawValue, location: "\(path), record \(index + 1)" + (line.map { ", line \($0)" } ?? ""), message: message)
    }

    mutating func next() throws -> Record? {
        switch format {
        case .ndjson:
            while let line = try bytes.nextLine() {
                if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                return try record(fromJSON: line)
            }
            return nil
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
            let value: JSONValue
            do {
                value = try bytes.withNextJSONValueBytes { element in try JSONParser.parse(element, names: &names) }
            } catch let error as JSONParseError {
                throw malformed(error.description)
            }
            return try record(from: value)
        case .csv:
            if csvHeader == nil {
                guard let header = try CSVRowReader.nextRow(&bytes) else { return nil }
                csvHeader = header.map { $0.text }
            }
            guard let row = try CSVRowReader.nextRow(&bytes) else { return nil }
            guard let header = csvHeader, row.count == header.count else {
                throw malformed("expected \(csvHeader?.count ?? 0) cells, found \(row.count)", line: bytes.line)
            }
            index += 1
            return try CSVDecoder.record(header: header, cells: row, type: resourceType, catalog: catalog, decoding: decoding)
        }
    }

    private mutating func record(fromJSON bytes: [UInt8]) throws -> Record {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, names: &names)
        } catch {
            throw malformed(error.description)
        }
        return try record(from: value)
    }

    private mutating func record(from value: JSONValue) throws -> Record {
        guard case .object = value else { throw malformed("a record must be a JSON object") }
        index += 1
        return decoding.record(from: value, type: resourceType?.name, memo: &memo)
    }
}
