import FerryCore
import FerryStages
import FerryStore
import Foundation
import Testing

/// An import file holding bytes that are not UTF-8 (`\xff\xfe`): the record holding them is
/// refused and logged with its key and the byte offset, nothing of it is written, and the other
/// records are imported — in JSON, NDJSON and CSV, plain or gzip. Nothing is replaced with U+FFFD.
@Suite struct InvalidUTF8ImportTests {
    static let bad: [UInt8] = [0xFF, 0xFE]

    /// Ten shipping categories; the fourth one's name holds the bad bytes (after `prefix`).
    static func file(_ format: OutputFormat, prefix: String = "Bad ") -> (bytes: [UInt8], offset: Int) {
        var out: [UInt8] = []
        var offset = -1
        func name(_ i: Int) -> [UInt8] {
            guard i == 4 else { return Array("Category \(i)".utf8) }
            return Array(prefix.utf8) + bad + Array(" end".utf8)
        }
        switch format {
        case .csv:
            out += Array("code,name\n".utf8)
            for i in 1...10 {
                out += Array("SC-\(i),".utf8)
                if i == 4 {
                    // Quoted, with a doubled quote before the bad bytes: the offset is still the file's.
                    let quoted = Array("\"".utf8) + Array(prefix.replacingOccurrences(of: "\"", with: "\"\"").utf8)
                    offset = out.count + quoted.count
                    out += quoted + bad + Array(" end\"".utf8)
                } else {
                    out += name(i)
                }
                out += [10]
            }
        case .ndjson, .json:
            if format == .json { out += Array("[\n".utf8) }
            for i in 1...10 {
                let escapedPrefix = Array(#"{"code":"SC-\#(i)","name":""#.utf8)
                out += escapedPrefix
                if i == 4 {
                    let text = Array(prefix.replacingOccurrences(of: "\"", with: "\\\"").utf8)
                    offset = out.count + text.count
                    out += text + bad + Array(" end".utf8)
                } else {
                    out += name(i)
                }
                out += Array("\"}".utf8)
                if format == .json && i < 10 { out += Array(",".utf8) }
                out += [10]
            }
            if format == .json { out += Array("]\n".utf8) }
        }
        return (out, offset)
    }

    static func write(_ bytes: [UInt8], gzip: Bool, to path: String) throws {
        let data = gzip ? try GzipCompressor(level: 6).member(bytes) : bytes
        try Data(data).write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: [(OutputFormat.json, false), (.ndjson, false), (.csv, false), (.json, true), (.ndjson, true), (.csv, true)])
    func theRecordIsRefusedWithItsKeyAndOffsetAndTheRestImported(format: OutputFormat, gzip: Bool) async throws {
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        let (bytes, offset) = Self.file(format, prefix: #"Bad "q" "#)
        #expect(Array(bytes[offset..<offset + 2]) == Self.bad)
        let path = dir.path("categories.\(format.rawValue)" + (gzip ? ".gz" : ""))
        try Self.write(bytes, gzip: gzip, to: path)

        let catalog = ResourceCatalog.commerce
        let type = try catalog.type(named: "shipping_categories")
        let live = try dir.environment.dataset(.live)
        let before = try live.count(RecordQuery(type: type))
        let sink = DatasetSink(dataset: live, type: type, options: .init(skipErrors: true))
        let source = FileSource(path: path, format: format, resourceType: type, catalog: catalog, marksFaultyInputs: true)
        _ = try await PipelineRunner().run(Pipeline(name: "import", source: source, sink: sink, batchSize: 3))
        let report = await sink.report

        #expect(report.created == 9, "\(report.errorsLogJSON.jsonText)")
        #expect(report.errors == 1)
        #expect(report.errorsLog.count == 1)
        let entry = try #require(report.errorsLog.first)
        // Under its natural key (or its index, when the importer logs by index).
        #expect(entry.key == "SC-4" || entry.key.hasPrefix("#"), "\(entry.key)")
        #expect(entry.attributes.map(\.attribute) == ["name"])
        #expect(entry.attributes.first?.messages == ["is not valid UTF-8 (byte offset \(offset) of the file)"])
        #expect(!report.errorsLogJSON.jsonText.contains("ferry:"), "the marker never reaches the log")

        // Nothing of it was written, nothing was replaced with U+FFFD, the rest is there.
        let codes = try live.fetchPage(RecordQuery(type: type), after: nil, limit: 1000).compactMap { $0["code"]?.stringValue }
        #expect(codes.count == before + 9)
        #expect(!codes.contains("SC-4"))
        let names = try live.fetchPage(RecordQuery(type: type), after: nil, limit: 1000).compactMap { $0["name"]?.stringValue }
        #expect(!names.contains { $0.unicodeScalars.contains("\u{FFFD}") })
    }

    @Test(arguments: [OutputFormat.json, .ndjson, .csv])
    func withoutAnImporterTheReadFailsWithTheOffset(format: OutputFormat) async throws {
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        let (bytes, offset) = Self.file(format)
        let path = dir.path("categories.\(format.rawValue)")
        try Self.write(bytes, gzip: false, to: path)
        let type = try ResourceCatalog.commerce.type(named: "shipping_categories")
        let source = FileSource(path: path, format: format, resourceType: type, catalog: .commerce)
        var read = 0
        await #expect {
            try await source.read(from: nil, batchSize: 2) { batch in read += batch.records.count }
        } throws: { error in
            guard let error = error as? FormatError, case .malformed(_, _, let message) = error else { return false }
            return message.contains("UTF-8") && message.contains("byte offset \(offset)")
        }
        #expect(read <= 3, "the records before it at most")
    }

    @Test(arguments: [(OutputFormat.ndjson, false), (.ndjson, true), (.json, false), (.json, true)])
    func theOffsetCountsEveryChunkBefore(format: OutputFormat, gzip: Bool) async throws {
        // Far past the first 1 MiB chunk, plain or inflated from gzip, the offset is the file's.
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        let separator: [UInt8] = format == .json ? Array(",\n".utf8) : [10]
        var bytes: [UInt8] = format == .json ? Array("[\n".utf8) : []
        for i in 0..<60_000 { bytes += Array(#"{"code":"SC-\#(i)","name":"Category \#(i) é"}"#.utf8) + separator }
        let offset = bytes.count + #"{"code":"SC-X","name":"x"#.utf8.count
        bytes += Array(#"{"code":"SC-X","name":"x"#.utf8) + Self.bad + Array(#""}"#.utf8) + (format == .json ? Array("\n]\n".utf8) : [10])
        #expect(bytes.count > 2 << 20)
        let path = dir.path("big.\(format.rawValue)" + (gzip ? ".gz" : ""))
        try Self.write(bytes, gzip: gzip, to: path)
        let type = try ResourceCatalog.commerce.type(named: "shipping_categories")
        let source = FileSource(path: path, format: format, resourceType: type, catalog: .commerce)
        await #expect {
            try await source.read(from: nil, batchSize: 5_000) { _ in }
        } throws: { error in
            "\(error)".contains("byte offset \(offset)")
        }
    }

    @Test func aRecordFaultyAfterTheBadBytesIsStillAFileError() async throws {
        // Past invalid UTF-8, a syntax error still refuses the file: the record cannot be read.
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        let path = dir.path("broken.ndjson")
        try Self.write(Array(#"{"code":"A","name":"x"#.utf8) + Self.bad + Array(#"", oops}"#.utf8) + [10], gzip: false, to: path)
        let type = try ResourceCatalog.commerce.type(named: "shipping_categories")
        let source = FileSource(path: path, format: .ndjson, resourceType: type, catalog: .commerce, marksFaultyInputs: true)
        await #expect(throws: FormatError.self) {
            try await source.read(from: nil, batchSize: 10) { _ in }
        }
    }
}
