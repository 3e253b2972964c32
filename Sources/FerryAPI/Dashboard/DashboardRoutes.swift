import FerryCore
import HTTPTypes
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The dashboard (SPEC §7's service, seen in a browser):
/// - `GET /dashboard`: the page, server-rendered; it holds no data. Its script takes the token from
///   `#token=<JWT>` (then removes it from the address), keeps it in the tab's session storage and
///   sends it only in the `Authorization` header; without one the page asks for it.
/// - `GET /dashboard/assets/{file}`: its stylesheet and script.
/// - `GET /api/dashboard`: the panel for the token's mode, as server-rendered HTML.
/// - `GET /api/events`: server-sent events, one `snapshot` a second with each job's live numbers
///   (`?interval=` milliseconds, 100–10,000) and the panel's version (the page fetches the panel
///   again when it changes). A stream ends after a minute (or `?count=` events), or at the
///   server's graceful shutdown; the page reconnects, and polls `/api/dashboard` when streaming
///   does not work.
struct DashboardRoutes: Sendable {
    let services: FerryServices
    let assets: DashboardAssets?

    /// How long one event stream lasts before the page reconnects.
    static let streamLifetime: Duration = .seconds(60)

    init(services: FerryServices) {
        self.services = services
        self.assets = try? DashboardAssets.load()
    }

    func register(on router: Router<FerryRequestContext>, api: RouterGroup<FerryRequestContext>) {
        router.get("dashboard") { _, _ in try html(render("page", ["assets": "/dashboard/assets"])) }
        router.get("dashboard/assets/:file") { _, context in
            let name = try context.parameters.require("file")
            guard let file = try requireAssets().files[name] else { throw APIError.notFound("assets", id: name) }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        api.get("dashboard") { request, context in
            let token = try context.requireToken()
            let snapshot = try DashboardSnapshot.read(services, mode: token.mode, base: services.baseURL(for: request))
            return try html(render("panel", DashboardView(snapshot: snapshot).context))
        }
        api.get("events") { request, context in
            let token = try context.requireToken()
            let base = services.baseURL(for: request)
            let interval = request.uri.queryParameters["interval"].flatMap { Int($0) }.map { min(max($0, 100), 10_000) } ?? 1000
            let count = request.uri.queryParameters["count"].flatMap { Int($0) }.map { max($0, 1) } ?? Int.max
            let body = ResponseBody { [services] writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                let end = ContinuousClock.now + Self.streamLifetime
                // Checked at each tick: a graceful shutdown ends the stream within one interval.
                var sent = 0
                while sent < count, ContinuousClock.now < end, !Task.isCancelled, !Task.isShuttingDownGracefully {
                    let snapshot = try DashboardSnapshot.read(services, mode: token.mode, base: base)
                    try await writer.write(ByteBuffer(string: "event: snapshot\ndata: \(DashboardView(snapshot: snapshot).event.jsonText)\n\n"))
                    sent += 1
                    if sent < count { try await Task.sleep(for: .milliseconds(interval)) }
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
                body: body)
        }
    }

    private func requireAssets() throws -> DashboardAssets {
        guard let assets else { throw Self.notInstalled }
        return assets
    }

    private func render(_ template: String, _ context: [String: Any]) throws -> String {
        guard let text = try requireAssets().library.render(context, withTemplate: template) else {
            throw Self.notInstalled
        }
        return text
    }

    /// 503 when the dashboard's files are not beside the executable.
    static let notInstalled = APIError(
        status: .serviceUnavailable, code: "SERVICE_UNAVAILABLE", title: "Service unavailable",
        detail: "the dashboard's files are not installed with this server")

    private func html(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
