/// Why input or output in a format failed, with where it happened.
public enum FormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Malformed input at a position (record index, line, column).
    case malformed(format: String, location: String, message: String)
    /// A compressed stream is damaged.
    case corruptCompression(String)
    /// A gzip stream ends inside a member, before that member's trailer: the file was cut short.
    /// `offset` is the compressed byte offset where the data ends.
    case truncatedCompression(offset: Int)
    /// An option value is not usable.
    case invalidOption(String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// An output file cannot be written where it was asked for (its folder is missing or not
    /// writable, or the path is a folder), with the system's reason.
    case unwritableOutput(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let format, let location, let message): return "invalid \(format) at \(location): \(message)"
        case .corruptCompression(let message): return "invalid gzip data: \(message)"
        case .truncatedCompression(let offset): return "the gzip data is truncated: it ends at byte \(offset), inside a compressed member"
        case .invalidOption(let message): return message
        case .io(let path, let message): return "\(path): \(message)"
        case .unwritableOutput(let path, let reason): return "cannot write the output \(path): \(reason)"
        }
    }
}
