import FerryCore

/// The first bytes of a stream of input, decompressed when it is gzip, collected as it goes by:
/// what ``InputFormatDetector`` looks at.
public struct InputHead {
    /// How many bytes of content are kept.
    public static let size = 512
    /// The content's first bytes (fewer when the input is shorter, or its gzip is damaged).
    public private(set) var bytes: [UInt8] = []
    private var raw: [UInt8] = []
    private var isGzip: Bool?
    private var inflater: GzipDecompressor?
    private var damaged = false

    /// An empty head.
    public init() {}

    /// Whether enough is known.
    public var isComplete: Bool { bytes.count >= Self.size || damaged }

    /// Takes the next bytes of the input.
    public mutating func take(_ chunk: some Collection<UInt8>) {
        guard !isComplete else { return }
        if isGzip == nil {
            raw.append(contentsOf: chunk)
            guard raw.count >= 2 else { return }
            isGzip = raw[0] == 0x1f && raw[1] == 0x8b
            let first = raw
            raw = []
            feed(first)
        } else {
            feed(Array(chunk))
        }
    }

    /// Ends the input (an input of one byte is judged here).
    public mutating func finish() {
        if isGzip == nil {
            isGzip = false
            bytes = raw
        }
    }

    private mutating func feed(_ chunk: [UInt8]) {
        guard isGzip == true else {
            bytes += chunk.prefix(Self.size - bytes.count)
            return
        }
        do {
            if inflater == nil { inflater = try GzipDecompressor() }
            bytes += try inflater!.inflate(chunk).prefix(Self.size - bytes.count)
        } catch {
            damaged = true
        }
    }
}
