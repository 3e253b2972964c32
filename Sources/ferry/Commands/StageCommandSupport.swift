import FerryCore
import FerryStages

/// The registry with every stage the executable ships.
enum Stages {
    static func registry(_ data: DataDirectoryOptions) throws -> StageRegistry {
        let registry = StageRegistry()
        try BuiltinStages.register(into: registry, environment: StageEnvironment(directory: data.directory))
        return registry
    }
}
