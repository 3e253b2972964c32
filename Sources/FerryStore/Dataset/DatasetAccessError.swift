/// Why a dataset's files cannot be opened as asked, with the path and the system's reason.
public enum DatasetAccessError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file or folder the dataset needs to write cannot be written: the data directory cannot
    /// be created, its lock file cannot be opened, or SQLite cannot write the database.
    /// `purpose` says what needed the write.
    case unwritable(path: String, reason: String, purpose: String)
    /// The database cannot be opened or read, even read-only.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unwritable(let path, let reason, let purpose):
            return "cannot write \(path): \(reason) (\(purpose) needs a writable data directory; check its permissions, or use --data-dir)"
        case .unreadable(let path, let reason):
            return "cannot read the dataset \(path): \(reason)"
        }
    }
}
