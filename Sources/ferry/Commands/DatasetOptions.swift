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

    /// Opens the dataset of a mode.
    func open(_ mode: DatasetMode) throws -> Dataset {
        try Dataset(mode: mode, directory: directory)
    }
}

extension DatasetMode: ExpressibleByArgument {}
