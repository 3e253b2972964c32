import FerryCore
import FerryStages
import CountingSink
import Exec
import Webhook
import XMLFormat

/// The registry with every stage the executable ships.
enum Stages {
    static func registry(_ data: DataDirectoryOptions) throws -> StageRegistry {
        let registry = StageRegistry()
        try BuiltinStages.register(into: registry, environment: StageEnvironment(directory: data.directory))
        try XMLFormatPlugin.register(into: registry)
        try ExecPlugin.register(into: registry)
        try CountingSinkPlugin.register(into: registry)
        try WebhookPlugin.register(into: registry)
        return registry
    }
}
