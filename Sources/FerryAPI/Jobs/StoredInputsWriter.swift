import FerryCore
import FerryStages
import Foundation

/// Writes an import's inputs to its attachment file, gzip-compressed (SPEC §3: the stored inputs
/// are the import's gzip `attachment_url`). Input that is already gzip is stored as it came;
/// other input is compressed in members of about 1 MiB as it arrives, never held whole.
final class StoredInputsWriter {
    private let handle: FileHandle
    private var pending: [UInt8] = []
    private var isGzip: Bool?
    private let compressor: GzipCompressor
    /// The file written.
    let url: URL
    /// Bytes received.
    private(set) var receivedBytes = 0
    /// The content's first bytes (decompressed), to tell its format by.
    private(set) var head = InputHead()

    private static let memberSize = 1 << 20

    /// Starts writing to `url` (a temporary file; ``finish()`` leaves it in place).
    init(url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        compressor = try GzipCompressor(level: 6)
        self.url = url
    }

    /// Appends input bytes.
    func write(_ bytes: some Collection<UInt8>) throws {
        receivedBytes += bytes.count
        head.take(bytes)
        pending.append(contentsOf: bytes)
        if isGzip == nil {
            guard pending.count >= 2 else { return }
            isGzip = pending[0] == 0x1f && pending[1] == 0x8b
        }
        if isGzip == true || pending.count >= Self.memberSize { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: isGzip == true ? pending : compressor.member(pending))
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    func finish() throws {
        head.finish()
        if isGzip == nil { isGzip = false }
        try flush()
        try handle.close()
    }

    /// Closes and removes the file after a failure.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}
