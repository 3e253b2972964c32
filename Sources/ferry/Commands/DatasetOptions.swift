import ArgumentParser
import FerryCore
import FerryStore

/// Where the datasets live: shared by every command that opens one.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "The folder holding the datasets (default: $FERRY_DATA_DIR, else ./.ferry).", valueName: "path"))
    var dataDirectory: String?

    /// The resolved data directory.
    var directory: DataDirectory { DataDirectory.resolve(dataDirectory) }

    /// Opens the dataset of a mode; `readOnly` for commands that only read it, which then work
    /// in a data directory they cannot write. A failure names the path and the system's reason.
    func open(_ mode: DatasetMode, access: Dataset.Access = .readWrite) throws -> Dataset {
        do {
            return try Dataset(mode: mode, directory: directory, access: access)
        } catch let error as DatasetAccessError {
            throw CommandFailure(error)
        }
    }
}

extension DatasetMode: ExpressibleByArgument {}
