import CLibDeflate

/// Compresses whole buffers into gzip members with libdeflate.
///
/// Each call yields one complete gzip member; members written one after another form one valid
/// `.gz` file (RFC 1952), which is what lets a sink compress batch by batch, and resume at a
/// member boundary, without ever holding the whole output.
public final class GzipCompressor {
    private let compressor: OpaquePointer
    /// The compression level, 1–12 (libdeflate's scale; 6 is gzip's default).
    public let level: Int

    /// Creates a compressor at a level from 1 to 12.
    public init(level: Int) throws {
        guard (1...12).contains(level), let compressor = libdeflate_alloc_compressor(Int32(level)) else {
            throw FormatError.invalidOption("gzip level must be between 1 and 12, not \(level)")
        }
        self.compressor = compressor
        self.level = level
    }

    deinit {
        libdeflate_free_compressor(compressor)
    }

    /// One gzip member holding `input`.
    public func member(_ input: [UInt8]) -> [UInt8] {
        let bound = libdeflate_gzip_compress_bound(compressor, input.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                libdeflate_gzip_compress(compressor, source.baseAddress, input.count, destination.baseAddress, bound)
            }
        }
        output.removeSubrange(written...)
        return output
    }
}
