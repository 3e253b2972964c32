import ArgumentParser
import FerryAPI
import FerryCore
import FerryJobs
import FerryStages
import Foundation
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle

/// `ferry serve`: the JSON:API service with its job workers.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve /api/exports and /api/imports (JSON:API) with a pool of job workers.",
        discussion: """
            Tokens come from 'ferry token'. The pipelines of --pipelines with a 'schedule' run on it (as \
            under 'ferry schedule') unless --no-schedules. Jobs are queued in the datasets; on SIGTERM or SIGINT running \
            jobs checkpoint and go back to the queue, and resume at the next start. Jobs left running by a \
            killed process are resumed at start.
            """
    )

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var schedule: ScheduleOptions

    @Flag(help: "Do not run the pipelines' schedules.")
    var noSchedules = false

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "Jobs run at once.")
    var workers = 2

    @Option(help: "Exports running at once per mode.")
    var exportsPerMode = 10

    @Option(help: ArgumentHelp("Records per batch of a job (one transaction each for an import).", valueName: "count"))
    var batchSize = Pipeline.defaultBatchSize

    @Option(help: ArgumentHelp("Encoded bytes an export buffers before a write and a checkpoint (default: 1 MiB).", valueName: "bytes"))
    var flushBytes: Int?

    @Option(help: ArgumentHelp("Threads that run jobs (default: one per core).", valueName: "count"))
    var jobThreads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Threads that serve requests, and as many event loops (default: one per core).", valueName: "count"))
    var apiThreads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp(
        "Niceness of the request threads, 0–19: how much a busy machine favours running jobs over answering requests (0: equal).",
        valueName: "n"))
    var apiNiceness: Int32 = 8

    @Option(help: ArgumentHelp("The absolute URL clients reach the server at (default: from each request's Host).", valueName: "url"))
    var publicURL: String?

    @Option(help: ArgumentHelp("Seconds an attachment URL stays valid.", valueName: "seconds"))
    var attachmentTTL: Double = 300

    @Option(help: ArgumentHelp("Requests a token may make per --rate-interval (0: no limit).", valueName: "count"))
    var rateLimit = 3000

    @Option(help: ArgumentHelp("The rate-limit window in seconds.", valueName: "seconds"))
    var rateInterval: Double = 60

    @OptionGroup var log: LogOptions

    func run() async throws {
        try log.bootstrap()
        let logger = Logger(label: "ferry")
        try data.requireAnyDataset()
        let environment = StageEnvironment(directory: data.directory)
        let registry = try Stages.registry(environment)
        let stops = JobStopSignals()
        let secret = try ServerSecret.load(directory: data.directory)
        let metrics = FerryMetrics()
        metrics.bootstrapProcess()
        // Request handlers and the event loops run apart from the jobs, at a niceness that makes
        // a busy machine favour the jobs (`--api-niceness`): polling a job must not slow it.
        let handlers = ThreadPoolExecutor(name: "ferry-api", count: apiThreads, niceness: apiNiceness)
        defer { handlers.shutdown() }
        let scheduled = noSchedules ? [] : try schedule.load()
        let services = await FerryServices(
            environment: environment, registry: registry, secret: secret, stops: stops,
            settings: ServerSettings(publicURL: publicURL, attachmentLifetime: attachmentTTL, rateLimit: rateLimit, rateLimitInterval: rateInterval),
            handlers: handlers, metrics: metrics, pipelines: scheduled)
        let pool = JobWorkerPool(
            environment: environment, registry: registry,
            configuration: JobConfiguration(workers: workers, exportsPerMode: exportsPerMode, batchSize: batchSize, flushBytes: flushBytes, threads: jobThreads, metrics: metrics.jobs), stops: stops,
            logger: Logger(label: "ferry.jobs"))
        var background: [any Service] = [pool, WebhookDispatcher(environment: environment, logger: Logger(label: "ferry.webhooks"))]
        if !scheduled.isEmpty {
            background.append(PipelineScheduler(pipelines: scheduled, environment: environment, registry: registry, logger: Logger(label: "ferry.schedule")))
        }
        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: apiThreads)
        for loop in eventLoops.makeIterator() {
            loop.execute { [apiNiceness] in ThreadPoolExecutor.lowerCurrentThreadPriority(to: apiNiceness) }
        }
        let app = FerryServer.application(services: services, host: host, port: port, background: background, eventLoops: eventLoops, logger: logger)
        logger.info("data directory \(data.directory.url.path)")
        do {
            try await app.runService()
        } catch {
            try? await eventLoops.shutdownGracefully()
            throw error
        }
        try await eventLoops.shutdownGracefully()
    }
}
