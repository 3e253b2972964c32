import Foundation

/// Writes records to a file or standard output in one format, optionally gzip-compressed.
///
/// Output is encoded batch by batch and written out once at least `flushBytes` are buffered; when
/// compressed, each write is one gzip member (large members compress better: the dictionary is
/// not reset every batch). Memory stays bounded, and an interrupted export resumes by truncating
/// the file at the last flushed byte and going on: the result is byte-identical to an
/// uninterrupted run, because flushes fall on the same batches.
///
/// A file is written as `<path>.partial` beside the output, synced and renamed onto the output
/// only when it is complete: a killed export never leaves a truncated file at the output path,
/// nor destroys the file that was there. An interrupted run leaves the partial file for a
/// resume; no folder is ever created for the output.
public actor FileSink: SinkStage {
    /// Where the bytes go.
    public enum Destination: Hashable, Sendable {
        case file(String)
        case standardOutput

        /// Parses a path, `-` meaning standard output.
        public init(path: String) {
            self = path == "-" ? .standardOutput : .file(path)
        }

        /// A name for messages.
        public var name: String {
            switch self {
            case .file(let path): return path
            case .standardOutput: return "stdout"
            }
        }

        /// The file written until the output is complete (`<path>.partial`); nil for standard output.
        public var partialPath: String? {
            guard case .file(let path) = self else { return nil }
            return path + ".partial"
        }

        /// Checks, writing nothing, that the file can be created where it is asked for: its
        /// folder exists, is a folder and may be written, and the path is not itself a folder.
        /// No folder is ever created for it. Standard output always passes.
        public func checkWritable() throws(FormatError) {
            guard case .file(let path) = self else { return }
            let manager = FileManager.default
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw .unwritableOutput(path: path, reason: "it is a directory")
            }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard manager.fileExists(atPath: folder, isDirectory: &isDirectory) else {
                throw .unwritableOutput(path: path, reason: "the directory \(folder) does not exist")
            }
            guard isDirectory.boolValue else {
                throw .unwritableOutput(path: path, reason: "\(folder) is not a directory")
            }
            guard access(folder, W_OK | X_OK) == 0 else {
                throw .unwritableOutput(path: path, reason: "the directory \(folder) is not writable (\(String(cString: strerror(errno))))")
            }
        }
    }

    let makeEncoder: @Sendable (RecordShape?, [String]?) -> any RecordEncoder
    let destination: Destination
    let gzipLevel: Int?
    let flushBytes: Int
    /// The default amount of encoded output buffered before a flush.
    public static let defaultFlushBytes = 1 << 20
    private var encoder: (any RecordEncoder)?
    private var writer = JSONWriter(capacity: 1 << 20)
    private var handle: FileHandle?
    private var compressor: GzipCompressor?
    private var recordsWritten = 0
    private var bytesWritten = 0
    private var prologueWritten = false

    /// Creates a sink; `makeEncoder` makes the format's encoder for the records' shape (and, on
    /// resume, the encoder state a checkpoint saved). `gzipLevel` nil writes plain bytes.
    public init(destination: Destination, gzipLevel: Int?, flushBytes: Int = FileSink.defaultFlushBytes, makeEncoder: @escaping @Sendable (RecordShape?, [String]?) -> any RecordEncoder) {
        self.makeEncoder = makeEncoder
        self.destination = destination
        self.gzipLevel = gzipLevel
        self.flushBytes = max(1, flushBytes)
    }

    public func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {
        if let gzipLevel { compressor = try GzipCompressor(level: gzipLevel) }
        let savedColumns = state?["columns"].flatMap { try? JSONParser.parse($0) }.flatMap { value -> [String]? in
            guard case .array(let items) = value else { return nil }
            return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        }
        encoder = makeEncoder(shape, savedColumns)
        switch destination {
        case .standardOutput:
            guard state == nil else { throw FormatError.invalidOption("an export to standard output cannot be resumed") }
            handle = FileHandle.standardOutput
        case .file(let path):
            try destination.checkWritable()
            let partial = path + ".partial"
            if let state, let offset = state["offset"].flatMap(Int.init) {
                guard let handle = FileHandle(forUpdatingAtPath: partial) else {
                    throw FormatError.io(path: partial, message: "the partial output to resume cannot be opened (\(String(cString: strerror(errno))))")
                }
                let size = try handle.seekToEnd()
                guard size >= UInt64(offset) else {
                    try? handle.close()
                    throw FormatError.io(path: partial, message: "the partial output holds \(size) bytes, fewer than the \(offset) its checkpoint counts")
                }
                try handle.truncate(atOffset: UInt64(offset))
                try handle.seekToEnd()
                self.handle = handle
                bytesWritten = offset
                recordsWritten = state["records"].flatMap(Int.init) ?? 0
                prologueWritten = state["prologue"] == "1"
            } else {
                let descriptor = openDescriptor(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw FormatError.unwritableOutput(path: partial, reason: String(cString: strerror(errno)))
                }
                handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            }
        }
    }

    public func write(_ records: [Record]) async throws {
        guard var encoder else { return }
        if !prologueWritten {
            writer.bytes.append(contentsOf: encoder.prologue(firstRecord: records.first))
            prologueWritten = true
        }
        for record in records {
            encoder.encode(record, index: recordsWritten, into: &writer)
            recordsWritten += 1
        }
        self.encoder = encoder
    }

    public func commit() async throws -> [String: String]? {
        guard writer.bytes.count >= flushBytes else { return nil }
        try flush()
        var state = ["offset": String(bytesWritten), "records": String(recordsWritten), "prologue": prologueWritten ? "1" : "0"]
        if let columns = encoder?.state, !columns.isEmpty {
            state["columns"] = JSONValue.array(columns.map(JSONValue.string)).jsonText
        }
        return state
    }

    public func close() async throws -> SinkSummary {
        if !prologueWritten, var encoder {
            writer.bytes.append(contentsOf: encoder.prologue(firstRecord: nil))
            prologueWritten = true
            self.encoder = encoder
        }
        if let encoder { writer.bytes.append(contentsOf: encoder.epilogue(count: recordsWritten)) }
        try flush()
        if case .file(let path) = destination, let handle {
            self.handle = nil
            try Self.publish(handle, partial: path + ".partial", as: path)
        }
        handle = nil
        return SinkSummary(recordsWritten: recordsWritten, destination: destination.name, bytesWritten: bytesWritten)
    }

    /// Closes the file, leaving the partial output (and the file at the output path) as they are.
    public func abort() async {
        if case .file = destination { try? handle?.close() }
        handle = nil
    }

    /// Syncs the complete partial file, closes it and renames it onto the output, then syncs the
    /// folder so that the rename lasts too.
    private static func publish(_ handle: FileHandle, partial: String, as path: String) throws {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw FormatError.io(path: partial, message: "the output could not be synced to disk (\(error.localizedDescription))")
        }
        guard rename(partial, path) == 0 else {
            throw FormatError.io(path: path, message: "the complete output \(partial) could not be renamed into place (\(String(cString: strerror(errno))))")
        }
        let folder = openDescriptor(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            closeDescriptor(folder)
        }
    }

    private func flush() throws {
        guard !writer.bytes.isEmpty, let handle else { return }
        let bytes = compressor.map { $0.member(writer.bytes) } ?? writer.bytes
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw FormatError.io(path: destination.name, message: "write failed: \(error)")
        }
        bytesWritten += bytes.count
        writer.bytes.removeAll(keepingCapacity: true)
    }
}

/// `open(2)` (files are made 0644 before the umask), outside the sink whose `open` would shadow it.
private func openDescriptor(_ path: String, _ flags: Int32) -> Int32 {
    open(path, flags, 0o644)
}

/// `close(2)`.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
