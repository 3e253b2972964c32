import FerryCore
import Foundation

/// The folder that holds an installation's datasets, one SQLite file per mode.
///
/// Resolved from an explicit path, else the `FERRY_DATA_DIR` environment variable, else `./.ferry`.
public struct DataDirectory: Hashable, Sendable {
    /// The folder's URL.
    public var url: URL

    /// The environment variable that overrides the default location.
    public static let environmentVariable = "FERRY_DATA_DIR"

    /// Creates a data directory at an explicit location.
    public init(url: URL) {
        self.url = url
    }

    /// Resolves the data directory from a flag value, the environment, or the default.
    public static func resolve(_ path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> DataDirectory {
        let chosen = path ?? environment[environmentVariable] ?? ".ferry"
        return DataDirectory(url: URL(fileURLWithPath: chosen, isDirectory: true).standardizedFileURL)
    }

    /// The SQLite file of a mode's dataset.
    public func databaseURL(for mode: DatasetMode) -> URL {
        url.appendingPathComponent("\(mode.rawValue).sqlite")
    }

    /// The modes whose dataset file is in the folder.
    public var existingModes: [DatasetMode] {
        DatasetMode.allCases.filter { FileManager.default.fileExists(atPath: databaseURL(for: $0).path) }
    }

    /// Creates the folder if needed.
    public func create() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
}
