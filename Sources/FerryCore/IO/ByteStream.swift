import Foundation

/// A file's bytes read in chunks, inflated on the fly when the file is gzip-compressed.
public struct ByteStream {
    private let handle: FileHandle
    private var decompressor: GzipDecompressor?
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private var sawInput = false
    private let path: String
    /// The 1-based line of the read position.
    public private(set) var line = 1
    /// How many bytes the chunks before the current one held.
    private var bufferStart = 0

    /// The 0-based byte offset of the read position in the (inflated) content.
    public var offset: Int { bufferStart + position }

    /// Opens a file, detecting gzip from its first bytes.
    public init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FormatError.io(path: path, message: "cannot open the file") }
        self.handle = handle
        let head = [UInt8](try handle.read(upToCount: 2) ?? Data())
        try handle.seek(toOffset: 0)
        if head.count == 2, head[0] == 0x1F, head[1] == 0x8B { decompressor = try GzipDecompressor() }
    }

    private mutating func fill() throws -> Bool {
        while position >= buffer.count {
            if exhausted { return false }
            let chunk = [UInt8](try handle.read(upToCount: 1 << 20) ?? Data())
            if chunk.isEmpty {
                exhausted = true
                try decompressor?.finish(sawInput: sawInput)
                return false
            }
            sawInput = true
            bufferStart += buffer.count
            buffer = try decompressor?.inflate(chunk) ?? chunk
            position = 0
        }
        return true
    }

    /// The next byte without consuming it.
    public mutating func peek() throws -> UInt8? {
        try fill() ? buffer[position] : nil
    }

    /// Consumes the next byte.
    public mutating func take() throws -> UInt8? {
        guard try fill() else { return nil }
        let byte = buffer[position]
        position += 1
        if byte == 10 { line += 1 }
        return byte
    }

    /// Consumes spaces, tabs and line breaks.
    public mutating func skipWhitespace() throws {
        while let byte = try peek(), byte == 32 || byte == 10 || byte == 13 || byte == 9 { _ = try take() }
    }

    /// The next line without its terminator, or nil at the end. Scans the buffer a chunk at a
    /// time rather than byte by byte through `take()`.
    public mutating func nextLine() throws -> [UInt8]? {
        guard try fill() else { return nil }
        var out: [UInt8] = []
        while try fill() {
            if let newline = buffer[position...].firstIndex(of: 10) {
                out.append(contentsOf: buffer[position..<newline])
                position = newline + 1
                line += 1
                return out
            }
            out.append(contentsOf: buffer[position...])
            position = buffer.count
        }
        return out
    }

    /// Where a JSON value's scan stands: nesting depth and string state carry across chunks.
    private struct JSONScan {
        var depth = 0
        var inString = false
        var escaped = false
        var lines = 0
        var started = false

        /// Scans `bytes` from `start`; returns where the value ends (exclusive) if it ends in
        /// them, else nil with the state to go on with in the next chunk.
        mutating func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
            var i = start
            while i < bytes.count {
                let byte = bytes[i]
                if inString {
                    if escaped { escaped = false } else if byte == 92 { escaped = true } else if byte == 34 { inString = false }
                    i += 1
                    continue
                }
                if depth == 0 && (i > start || started) && (byte == 44 || byte == 93 || byte == 32 || byte == 10 || byte == 13) {
                    return i
                }
                switch byte {
                case 34: inString = true
                case 123, 91: depth += 1
                case 125, 93: depth -= 1
                case 10: lines += 1
                default: break
                }
                i += 1
                if depth == 0 && (byte == 125 || byte == 93) { return i }
            }
            started = started || i > start
            return nil
        }
    }

    /// The bytes of the next JSON value (an object, array, string, number or literal), read up
    /// to its end; the value is not validated, only delimited.
    public mutating func nextJSONValueBytes() throws -> [UInt8] {
        var out: [UInt8] = []
        var scan = JSONScan()
        while try fill() {
            let start = position
            let end = buffer.withUnsafeBufferPointer { scan.end(in: $0, from: start) }
            out.append(contentsOf: buffer[start..<(end ?? buffer.count)])
            position = end ?? buffer.count
            if end != nil { break }
        }
        line += scan.lines
        return out
    }

    /// Calls `body` with the bytes of the next JSON value, as ``nextJSONValueBytes()`` reads
    /// them, but in place when the value lies in the chunk already read (nearly always: records
    /// are far smaller than a chunk), without copying them out.
    public mutating func withNextJSONValueBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        guard try fill() else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        var scan = JSONScan()
        let start = position
        guard let end = buffer.withUnsafeBufferPointer({ scan.end(in: $0, from: start) }) else {
            let copied = try nextJSONValueBytes()
            return try copied.withUnsafeBufferPointer(body)
        }
        position = end
        line += scan.lines
        return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}
