import FerryCore
import FerryStages
import CountingSink
import Exec
import Webhook
import XMLFormat

/// The registry with every stage the executable ships.
enum Stages {
    static func registry(_ data: DataDirectoryOptions) throws -> StageRegistry {
        try registry(StageEnvironment(directory: data.directory))
    }

    /// The registry over an environment the caller shares (one connection pool per dataset file).
    static func registry(_ environment: StageEnvironment) throws -> StageRegistry {
        let registry = StageRegistry()
        try BuiltinStages.register(into: registry, environment: environment)
        try XMLFormatPlugin.register(into: registry)
        try ExecPlugin.register(into: registry)
        try CountingSinkPlugin.register(into: registry)
        try WebhookPlugin.register(into: registry)
        return registry
    }
}
