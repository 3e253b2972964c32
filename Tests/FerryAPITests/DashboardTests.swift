import FerryAPI
import FerryCore
import FerryJobs
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The dashboard's routes", .timeLimit(.minutes(1)))
struct DashboardTests {
    @Test("/dashboard is a page without data; its assets are served; the panel and events need a token and show its mode only")
    func routes() async throws {
        let fixture = try await APIFixture(skus: 20)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let liveToken = try await fixture.token(.live)
        try await fixture.withApp(workers: fixture.pool()) { client in
            let page = try await client.execute(uri: "/dashboard", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.contains(#"id="signin""#) && html.contains("/dashboard/assets/dashboard.js") && html.contains("/dashboard/assets/dashboard.css"))
            for (file, type) in [("dashboard.js", "text/javascript; charset=utf-8"), ("dashboard.css", "text/css; charset=utf-8")] {
                let asset = try await client.execute(uri: "/dashboard/assets/\(file)", method: .get)
                #expect(asset.status == .ok)
                #expect(asset.headers[.contentType] == type)
                #expect(asset.body.readableBytes > 1000)
            }
            #expect(try await client.execute(uri: "/dashboard/assets/page.mustache", method: .get).status == .notFound)
            #expect(try await client.call(.get, "/api/dashboard", token: nil).status == .unauthorized)
            #expect(try await client.call(.get, "/api/events", token: "not-a-token").status == .unauthorized)

            let id = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#).json.dataID
            _ = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            let panel = try await client.execute(uri: "/api/dashboard", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(panel.status == .ok)
            let text = String(buffer: panel.body)
            #expect(text.contains(#"id="job-\#(id)""#) && text.contains(#"data-status="completed""#) && text.contains(#"data-mode="test""#))
            let href = try #require(text.range(of: #"class="download" href=""#).map { text[$0.upperBound...].prefix { $0 != "\"" } })
            let url = href.replacingOccurrences(of: "&amp;", with: "&").dropFirst("http://localhost".count)
            let file = try await client.execute(uri: String(url), method: .get)
            #expect(file.status == .ok)
            guard case .array(let records) = try JSONParser.parse(try await gunzip(Array(file.body.readableBytesView))) else {
                Issue.record("the download is not a JSON array")
                return
            }
            #expect(records.count == 20)

            let other = String(buffer: try await client.execute(uri: "/api/dashboard", method: .get, headers: [.authorization: "Bearer \(liveToken)"]).body)
            #expect(!other.contains(id) && other.contains("No exports yet"))

            let events = try await client.execute(uri: "/api/events?count=2&interval=100", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(events.headers[.contentType] == "text/event-stream; charset=utf-8")
            let blocks = String(buffer: events.body).components(separatedBy: "\n\n").filter { $0.hasPrefix("event: snapshot") }
            #expect(blocks.count == 2)
            let data = try #require(blocks.first?.components(separatedBy: "\n").first { $0.hasPrefix("data: ") }?.dropFirst(6))
            let snapshot = try JSONParser.parse(Array(data.utf8))
            #expect(snapshot["mode"] == "test")
            #expect(text.contains(#"data-version="\#(snapshot["version"]?.stringValue ?? "-")""#))
            guard case .array(let jobs)? = snapshot["jobs"] else {
                Issue.record("no jobs in the snapshot")
                return
            }
            #expect(jobs.first?["id"] == .string(id) && jobs.first?["status"] == "completed" && jobs.first?["processed"] == 20)
        }
    }
}
