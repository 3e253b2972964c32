import ArgumentParser
import FerryCore
import FerryStages
import FerryStore
import Foundation

/// Where the datasets live: shared by every command that opens one.
///
/// Only `ferry seed` and the writing commands that say so (`import`, `duplicate`'s target) may
/// create a dataset; every other command refuses a data directory without the dataset it needs,
/// so that a mistyped `--data-dir` or a command run from another folder is reported, not
/// answered from a new, empty dataset.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "The folder holding the datasets (default: $FERRY_DATA_DIR, else ./.ferry).", valueName: "path"))
    var dataDirectory: String?

    /// The resolved data directory.
    var directory: DataDirectory { DataDirectory.resolve(dataDirectory) }

    /// Opens the dataset of a mode; `readOnly` for commands that only read it, which then work
    /// in a data directory they cannot write. A dataset that does not exist is created only when
    /// `creating`. A failure names the path and the system's reason.
    func open(_ mode: DatasetMode, access: Dataset.Access = .readWrite, creating: Bool = false) throws -> Dataset {
        do {
            return try Dataset(mode: mode, directory: directory, access: access, createIfMissing: creating)
        } catch let error as DatasetAccessError {
            throw CommandFailure(error)
        }
    }

    /// Fails with "no dataset at DIR …" unless the dataset of `mode` exists.
    func requireDataset(_ mode: DatasetMode) throws {
        let existing = directory.existingModes
        guard existing.contains(mode) else {
            throw CommandFailure(DatasetAccessError.missing(directory: directory.url.path, mode: mode, otherModes: existing))
        }
    }

    /// Fails with "no dataset at DIR …" unless the data directory holds at least one dataset:
    /// for commands (`run`, `serve`, `schedule`) whose pipelines choose the modes they open.
    func requireAnyDataset() throws {
        guard !directory.existingModes.isEmpty else {
            throw CommandFailure(DatasetAccessError.missing(directory: directory.url.path, mode: .test, otherModes: []))
        }
    }

    /// An environment whose datasets are opened on first use; one that does not exist is created
    /// only when `creating`.
    func environment(access: Dataset.Access = .readWrite, creating: Bool = false) -> StageEnvironment {
        StageEnvironment(directory: directory, access: access, createsDatasets: creating)
    }

    /// Tells standard error that a writing command is about to create the dataset of `mode`,
    /// when it does not exist yet: creating one is never silent.
    func noteCreation(of mode: DatasetMode) {
        guard !directory.existingModes.contains(mode) else { return }
        FileHandle.standardError.write(Data("creating the \(mode.rawValue) dataset at \(directory.url.path)\n".utf8))
    }
}

extension DatasetMode: ExpressibleByArgument {}
