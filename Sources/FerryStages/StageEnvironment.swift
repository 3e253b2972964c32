import FerryCore
import FerryStore
import Synchronization

/// What built-in stages reach outside the pipeline for: the data directory and its datasets,
/// opened once per mode and shared.
public final class StageEnvironment: Sendable {
    /// The data directory.
    public let directory: DataDirectory
    /// The catalog.
    public let catalog: ResourceCatalog
    /// How datasets are opened: `readOnly` for pipelines that only read them (`ferry export`).
    public let access: Dataset.Access
    /// Whether a dataset that does not exist is created on first use; when false, opening it
    /// fails with ``DatasetAccessError/missing(directory:mode:otherModes:)``.
    public let createsDatasets: Bool
    private let datasets = Mutex<[DatasetMode: Dataset]>([:])

    /// Creates an environment over a data directory.
    public init(directory: DataDirectory, catalog: ResourceCatalog = .commerce, access: Dataset.Access = .readWrite, createsDatasets: Bool = true) {
        self.directory = directory
        self.catalog = catalog
        self.access = access
        self.createsDatasets = createsDatasets
    }

    /// The dataset of a mode, opened on first use.
    public func dataset(_ mode: DatasetMode) throws -> Dataset {
        try datasets.withLock { open in
            if let dataset = open[mode] { return dataset }
            let dataset = try Dataset(mode: mode, directory: directory, catalog: catalog, access: access, createIfMissing: createsDatasets)
            open[mode] = dataset
            return dataset
        }
    }

    /// Parses a mode option (`test` default).
    static func mode(_ options: StageOptions) throws(StageConfigurationError) -> DatasetMode {
        guard let text = options.string("mode") else { return .test }
        guard let mode = DatasetMode(rawValue: text) else { throw options.error("mode", "must be test or live, not '\(text)'") }
        return mode
    }
}
