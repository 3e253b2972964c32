import FerryCore
import FerryStore
import Foundation

/// A whole dataset in one file, so test and live may live on different machines: a gzip-compressed
/// JSON-lines stream of a header, one section per type in dependency order (a `ferry_section` line,
/// then that type's dry-data records, one per line) and a closing manifest of every type's count
/// and content digest.
///
/// ```
/// {"ferry_archive":1,"from":"test"}
/// {"ferry_section":"tags"}
/// {"name":"bestseller"}
/// …
/// {"ferry_manifest":[{"type":"tags","count":20,"digest":"…"},…]}
/// ```
public enum DatasetArchive {
    /// The format version written in the header.
    public static let version = 1

    /// Writes the dataset `duplicator.from` holds to an archive (with the duplicator's filters and
    /// anonymization), returning each type's count and digest.
    public static func write(_ duplicator: DatasetDuplicator, types names: [String] = [], to path: String) async throws -> [(type: String, digest: DatasetDuplicator.DigestValue)] {
        let writer = try ArchiveWriter(path: path)
        try await writer.line(.object([JSONMember("ferry_archive", .int(Int64(version))), JSONMember("from", .string(duplicator.from.rawValue))]))
        let source = try duplicator.environment.dataset(duplicator.from)
        let filters = try duplicator.effectiveFilters()
        var manifest: [(type: String, digest: DatasetDuplicator.DigestValue)] = []
        for type in try duplicator.plan(names) {
            try await writer.line(.object([JSONMember("ferry_section", .string(type.name))]))
            let sink = ArchiveSectionSink(writer: writer)
            _ = try await PipelineRunner().run(duplicator.dryPipeline(type, from: source, into: sink, anonymize: true, filters: filters))
            manifest.append((type.name, await sink.digest.value))
        }
        try await writer.line(.object([JSONMember("ferry_manifest", .array(manifest.map {
            .object([JSONMember("type", .string($0.type)), JSONMember("count", .int(Int64($0.digest.count))), JSONMember("digest", .string($0.digest.hex))])
        }))]))
        try await writer.close()
        return manifest
    }

    /// The outcome of replaying one section.
    public struct SectionResult: Sendable {
        /// The type.
        public var type: String
        /// What the import did.
        public var report: ImportReport
        /// The count and digest the manifest promises.
        public var expected: DatasetDuplicator.DigestValue
        /// Whether the target's dry data now has that count and digest.
        public var verified: Bool
    }

    /// Replays an archive into the dataset of `mode`, then checks every type against the manifest.
    public static func replay(_ path: String, into mode: DatasetMode, environment: StageEnvironment) async throws -> [SectionResult] {
        let reader = try ArchiveReader(path: path)
        guard case .object? = try await reader.header(), let version = await reader.lastControl?["ferry_archive"], version == .int(Int64(Self.version)) else {
            throw FormatError.malformed(format: "archive", location: path, message: "not a Ferry archive (version \(Self.version))")
        }
        let target = try environment.dataset(mode)
        var reports: [String: ImportReport] = [:]
        while let name = try await reader.nextSection() {
            let type = try environment.catalog.type(named: name)
            let sink = DatasetSink(dataset: target, type: type, options: .init())
            _ = try await PipelineRunner().run(Pipeline(name: "archive-\(name)", source: ArchiveSectionSource(reader: reader, type: type, catalog: environment.catalog), sink: sink))
            reports[name] = await sink.report
        }
        guard case .array(let entries)? = await reader.lastControl?["ferry_manifest"] else {
            throw FormatError.malformed(format: "archive", location: path, message: "the manifest is missing: the archive is incomplete")
        }
        let duplicator = DatasetDuplicator(environment: environment, from: mode, to: mode == .test ? .live : .test)
        var results: [SectionResult] = []
        for entry in entries {
            guard case .string(let name)? = entry["type"], case .int(let count)? = entry["count"], case .string(let digest)? = entry["digest"] else { continue }
            let expected = DatasetDuplicator.DigestValue(count: Int(count), hex: digest)
            let actual = try await duplicator.digest(environment.catalog.type(named: name), of: target)
            results.append(SectionResult(type: name, report: reports[name] ?? ImportReport(), expected: expected, verified: actual == expected))
        }
        return results
    }
}

/// Appends JSON lines to a gzip file, one member per ~1 MiB.
actor ArchiveWriter {
    private let handle: FileHandle
    private let compressor: GzipCompressor
    private var buffer = JSONWriter(capacity: 1 << 20)

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw FormatError.io(path: path, message: "cannot create the archive")
        }
        self.handle = handle
        compressor = try GzipCompressor(level: 6)
    }

    func line(_ value: JSONValue) throws {
        buffer.write(value)
        buffer.bytes.append(10)
        try flushIfFull()
    }

    func lines(_ records: [Record]) throws {
        for record in records {
            buffer.write(record)
            buffer.bytes.append(10)
        }
        try flushIfFull()
    }

    private func flushIfFull(force: Bool = false) throws {
        guard force || buffer.bytes.count >= 1 << 20, !buffer.bytes.isEmpty else { return }
        try handle.write(contentsOf: compressor.member(buffer.bytes))
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flushIfFull(force: true)
        try handle.close()
    }
}

/// A sink writing one section's records to the archive and digesting them on the way.
actor ArchiveSectionSink: SinkStage {
    let writer: ArchiveWriter
    let digest = DigestSink()

    init(writer: ArchiveWriter) {
        self.writer = writer
    }

    func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {}
    func write(_ records: [Record]) async throws {
        try await writer.lines(records)
        try await digest.write(records)
    }
    func commit() async throws -> [String: String]? { nil }
    func close() async throws -> SinkSummary { try await digest.close() }
    func abort() async {}
}

extension DigestSink {
    /// The count and digest as a value.
    var value: DatasetDuplicator.DigestValue {
        let (count, hex) = digest
        return DatasetDuplicator.DigestValue(count: count, hex: hex)
    }
}

/// Reads an archive line by line; control lines (`{"ferry_…`) end a section.
actor ArchiveReader {
    private var stream: ByteStream
    private var pending: [UInt8]?
    private(set) var lastControl: JSONValue?
    private var line = 0

    init(path: String) throws {
        stream = try ByteStream(path: path)
    }

    private static let controlPrefix = Array(#"{"ferry_"#.utf8)

    private func nextLine() throws -> [UInt8]? {
        if let pending {
            self.pending = nil
            return pending
        }
        line += 1
        return try stream.nextLine()
    }

    /// Reads the header line.
    func header() throws -> JSONValue? {
        guard let bytes = try nextLine() else { return nil }
        lastControl = try JSONParser.parse(bytes)
        return lastControl
    }

    /// Skips to the next section and returns its type, or nil at the manifest or the end.
    func nextSection() throws -> String? {
        while let bytes = try nextLine() {
            guard bytes.starts(with: Self.controlPrefix) else { continue }
            lastControl = try JSONParser.parse(bytes)
            if case .string(let name)? = lastControl?["ferry_section"] { return name }
            return nil
        }
        return nil
    }

    /// The next record line of the current section, or nil at its end.
    func nextRecord() throws -> JSONValue? {
        guard let bytes = try nextLine() else { return nil }
        if bytes.starts(with: Self.controlPrefix) {
            pending = bytes
            return nil
        }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw FormatError.malformed(format: "archive", location: "line \(line)", message: error.description)
        }
    }
}

/// A source reading one section of an archive.
struct ArchiveSectionSource: SourceStage {
    let reader: ArchiveReader
    let type: ResourceType
    let catalog: ResourceCatalog

    var resourceType: ResourceType? { type }
    var shape: RecordShape? { nil }
    func estimatedCount() async throws -> Int? { nil }

    func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        var batch: [Record] = []
        let decoding = RecordDecoding(catalog: catalog)
        while let json = try await reader.nextRecord() {
            batch.append(decoding.record(from: json, type: type.name))
            if batch.count == batchSize {
                try await emit(RecordBatch(records: batch))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await emit(RecordBatch(records: batch)) }
    }
}
