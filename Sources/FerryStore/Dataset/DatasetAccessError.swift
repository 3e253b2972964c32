import FerryCore

/// Why a dataset's files cannot be opened as asked, with the path and the system's reason.
public enum DatasetAccessError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The dataset of `mode` does not exist in the data directory, and the command may not
    /// create one; `otherModes` are the modes whose datasets are there.
    case missing(directory: String, mode: DatasetMode, otherModes: [DatasetMode])
    /// A file or folder the dataset needs to write cannot be written: the data directory cannot
    /// be created, its lock file cannot be opened, or SQLite cannot write the database.
    /// `purpose` says what needed the write.
    case unwritable(path: String, reason: String, purpose: String)
    /// The database cannot be opened or read, even read-only.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let directory, let mode, let otherModes):
            if otherModes.isEmpty {
                return "no dataset at \(directory) (run `ferry seed` or pass `--data-dir`)"
            }
            let others = otherModes.map(\.rawValue).joined(separator: " and ")
            return "no \(mode.rawValue) dataset at \(directory), only \(others) (run `ferry seed --mode \(mode.rawValue)` or "
                + "`ferry duplicate --to \(mode.rawValue)`, or pass `--data-dir`)"
        case .unwritable(let path, let reason, let purpose):
            return "cannot write \(path): \(reason) (\(purpose) needs a writable data directory; check its permissions, or use --data-dir)"
        case .unreadable(let path, let reason):
            return "cannot read the dataset \(path): \(reason)"
        }
    }
}
