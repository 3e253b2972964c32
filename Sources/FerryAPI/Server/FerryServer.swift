import FerryCore
import FerryJobs
import Hummingbird
import NIOCore
import Logging
import ServiceLifecycle

/// Builds Ferry's HTTP application (SPEC §7): `/health`, the signed attachment downloads, and
/// the token-protected `/api/exports`, `/api/imports` and `/api/pipeline_runs`, all answering
/// JSON:API.
public enum FerryServer {
    /// The router of the application.
    public static func router(services: FerryServices) -> Router<FerryRequestContext> {
        let router = Router(context: FerryRequestContext.self)
        if let handlers = services.handlers {
            router.add(middleware: ExecutorMiddleware(executor: handlers))
        }
        router.add(middleware: HTTPMetricsMiddleware(metrics: services.metrics))
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: LogRequestsMiddleware(.info))
        let allowed = AllowedMethods()
        router.add(middleware: JSONAPIErrorMiddleware(allowed: allowed))
        router.get("health") { _, _ in
            JSONAPIResponse.make(status: .ok, document: .object([JSONMember("status", "ok")]))
        }
        let catalog = services.environment.catalog
        let exportFormats = JobAttributes.formats(services.registry, kind: .sink), importFormats = JobAttributes.formats(services.registry, kind: .source)
        let openAPI = OpenAPIDocumentCache { OpenAPIDocument.make(catalog: catalog, exportFormats: exportFormats, importFormats: importFormats) }
        router.get("openapi.json") { _, _ in JSONAPIResponse.make(status: .ok, document: openAPI.value, headers: [.contentType: "application/json"]) }
        AttachmentRoutes(services: services).register(on: router)
        MetricsRoutes(services: services).register(on: router)
        let api = router.group("api")
            .add(middleware: BearerTokenMiddleware(tokens: services.tokens))
            .add(middleware: RateLimitMiddleware(limiter: RateLimiter(limit: services.settings.rateLimit, interval: services.settings.rateLimitInterval)))
        JobRoutes(kind: .export, services: services).register(on: api) { request, context in
            try await ExportCreation(services: services).create(request, context)
        }
        JobRoutes(kind: .import, services: services).register(on: api) { request, context in
            try await ImportCreation(services: services).create(request, context)
        }
        JobRoutes(type: JobTypes.pipelineRuns, services: services).register(on: api)
        JobRoutes(type: JobTypes.webhooks, services: services).register(on: api)
        WebhookRoutes(services: services).register(on: api)
        DashboardRoutes(services: services).register(on: router, api: api)
        ResourceRoutes(services: services).register(on: api)
        allowed.load(router.routes)
        return router
    }

    /// The application: the router, served on `host:port` by `eventLoops` (nil: NIO's shared
    /// group), with `services` (the job workers) running beside it under one graceful shutdown.
    public static func application(
        services: FerryServices, host: String = "127.0.0.1", port: Int = 8080, background: [any Service] = [],
        eventLoops: (any EventLoopGroup)? = nil, logger: Logger = Logger(label: "ferry.server")
    ) -> some ApplicationProtocol {
        Application(
            router: router(services: services),
            configuration: .init(address: .hostname(host, port: port), serverName: "ferry"),
            services: background,
            eventLoopGroupProvider: eventLoops.map { .shared($0) } ?? .singleton,
            logger: logger)
    }
}
