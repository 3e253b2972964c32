import FerryCore
import FerryJobs
import FerryStages
import FerryStore
import Hummingbird

/// Everything the routes share: datasets, the stage registry, the token authority, the
/// attachment signer, the stop signals of running jobs and the settings.
public struct FerryServices: Sendable {
    /// Datasets and the data directory.
    public let environment: StageEnvironment
    /// The stages jobs are built from (to validate formats).
    public let registry: StageRegistry
    /// Verifies bearer tokens.
    public let tokens: TokenAuthority
    /// Signs and checks attachment URLs.
    public let attachments: AttachmentSigner
    /// Stops jobs running in this process.
    public let stops: JobStopSignals
    /// How the API answers.
    public let settings: ServerSettings
    /// Where request handlers run (each request's connection work stays on Swift's cooperative
    /// pool); nil: there too.
    public let handlers: ThreadPoolExecutor?
    /// The metrics `/metrics` exposes; give the same to the job workers (``FerryMetrics/jobs``).
    public let metrics: FerryMetrics
    /// The scheduled pipelines this server runs, as the dashboard lists them.
    public let pipelines: [ScheduledPipeline]

    /// Creates the services.
    public init(environment: StageEnvironment, registry: StageRegistry, secret: ServerSecret, stops: JobStopSignals, settings: ServerSettings = ServerSettings(), handlers: ThreadPoolExecutor? = nil, metrics: FerryMetrics = FerryMetrics(), pipelines: [ScheduledPipeline] = []) async {
        self.environment = environment
        self.registry = registry
        self.tokens = await TokenAuthority(secret: secret)
        self.attachments = AttachmentSigner(secret: secret)
        self.stops = stops
        self.settings = settings
        self.handlers = handlers
        self.metrics = metrics
        self.pipelines = pipelines
    }

    /// The absolute base URL for links in answers to `request`.
    public func baseURL(for request: Request) -> String {
        if let publicURL = settings.publicURL { return publicURL }
        let host = request.head.authority ?? "localhost"
        return "http://\(host)"
    }
}
