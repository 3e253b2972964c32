import Foundation

/// File operations on a dataset's SQLite file and its WAL companions.
public enum DatasetFiles {
    /// Deletes a dataset file with its `-wal` and `-shm` files; missing files are fine.
    public static func remove(at url: URL) throws {
        for suffix in ["", "-wal", "-shm"] {
            let file = URL(fileURLWithPath: url.path + suffix)
            if FileManager.default.fileExists(atPath: file.path) {
                try FileManager.default.removeItem(at: file)
            }
        }
    }
}
