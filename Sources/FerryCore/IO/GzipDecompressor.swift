import CZlib

/// Inflates a gzip stream chunk by chunk with zlib, across any number of members.
///
/// A stream must end where a member ends, after its trailer (CRC-32 and size): data that stops
/// inside a member is a cut file, which ``finish(sawInput:)`` reports with the offset of the cut.
public final class GzipDecompressor {
    private var stream = z_stream()
    private var finishedMember = false
    /// Compressed bytes consumed so far, across members.
    public private(set) var offset = 0

    /// Creates a decompressor.
    public init() throws {
        let code = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else { throw FormatError.corruptCompression("zlib could not start (\(code))") }
    }

    deinit {
        inflateEnd(&stream)
    }

    /// Whether the last input ended exactly at the end of a member.
    public var isAtMemberBoundary: Bool { finishedMember }

    /// Inflates one chunk of compressed bytes.
    public func inflate(_ input: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        guard !input.isEmpty else { return output }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while stream.avail_in > 0 {
                let (code, produced) = chunk.withUnsafeMutableBufferPointer { destination -> (Int32, Int) in
                    stream.next_out = destination.baseAddress
                    stream.avail_out = UInt32(destination.count)
                    let before = stream.avail_in
                    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    offset += Int(before - stream.avail_in)
                    return (code, destination.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                switch code {
                case Z_STREAM_END:
                    finishedMember = true
                    inflateReset(&stream)  // another member may follow
                case Z_OK, Z_BUF_ERROR:
                    finishedMember = false
                    if code == Z_BUF_ERROR && produced == 0 { return }
                default:
                    throw FormatError.corruptCompression(stream.msg.map { String(cString: $0) } ?? "zlib error \(code)")
                }
            }
        }
        return output
    }

    /// Checks that the stream did not stop in the middle of a member: throws
    /// ``FormatError/truncatedCompression(offset:)`` when it did.
    public func finish(sawInput: Bool) throws(FormatError) {
        if sawInput && !finishedMember { throw .truncatedCompression(offset: offset) }
    }
}
