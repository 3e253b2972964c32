import FerryCore

/// An output format a file sink writes.
public enum OutputFormat: String, CaseIterable, Hashable, Sendable {
    /// One JSON array, one element per record.
    case json
    /// RFC 4180 CSV: a header line plus exactly one line per record.
    case csv
    /// One JSON object per line.
    case ndjson

    /// The encoder for records of a shape.
    public func makeEncoder(shape: RecordShape?, columns: [String]?) -> any RecordEncoder {
        switch self {
        case .json: return JSONArrayEncoder()
        case .ndjson: return NDJSONEncoder()
        case .csv: return CSVEncoder(shape: shape, columns: columns)
        }
    }
}

struct JSONArrayEncoder: RecordEncoder {
    func prologue(firstRecord: Record?) -> [UInt8] { [91] }
    func encode(_ record: Record, index: Int, into writer: inout JSONWriter) {
        if index > 0 { writer.bytes.append(44) }
        writer.bytes.append(10)
        writer.write(record)
    }
    func epilogue(count: Int) -> [UInt8] { count > 0 ? [10, 93, 10] : [93, 10] }
    var state: [String] { [] }
}

struct NDJSONEncoder: RecordEncoder {
    func prologue(firstRecord: Record?) -> [UInt8] { [] }
    func encode(_ record: Record, index: Int, into writer: inout JSONWriter) {
        writer.write(record)
        writer.bytes.append(10)
    }
    func epilogue(count: Int) -> [UInt8] { [] }
    var state: [String] { [] }
}

extension FileSink {
    /// A file sink writing one of the built-in formats.
    public init(format: OutputFormat, destination: Destination, gzipLevel: Int?, flushBytes: Int = FileSink.defaultFlushBytes) {
        self.init(destination: destination, gzipLevel: gzipLevel, flushBytes: flushBytes) { shape, columns in
            format.makeEncoder(shape: shape, columns: columns)
        }
    }
}
