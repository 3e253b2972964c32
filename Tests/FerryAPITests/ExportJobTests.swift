import FerryAPI
import FerryCore
import FerryJobs
import FerryStages
import FerryStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Export jobs over HTTP", .timeLimit(.minutes(1)))
struct ExportJobTests {
    static let createBody = #"{"data":{"type":"exports","attributes":{"resource_type":"skus","includes":["prices.price_tiers"],"filters":{"code_start":"SKU-0000"},"reference":"r-1","metadata":{"team":"ops"}}}}"#

    /// The bytes `ferry export` writes for the same export (the same plan through the same runner).
    static func directExport(_ fixture: APIFixture) async throws -> [UInt8] {
        let output = fixture.url.appendingPathComponent("direct.json").path
        let plan = ExportPlan(resourceType: "skus", includes: ["prices.price_tiers"], filters: .object([JSONMember("code_start", "SKU-0000")]), output: output)
        _ = try await PipelineRunner().run(try fixture.registry.build(plan.definition(catalog: .commerce), catalog: .commerce))
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// Downloads a job's attachment through its signed URL.
    static func download(_ client: some TestClientProtocol, _ job: JSONValue, headers: HTTPFields = [:]) async throws -> TestResponse {
        let url = try #require(job.attribute("attachment_url")?.stringValue)
        let path = String(url.dropFirst("http://localhost".count))
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    @Test("create → in_progress → completed → download → gunzip gives the records ferry export writes")
    func lifecycle() async throws {
        let fixture = try await APIFixture(skus: 120)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let expected = try await Self.directExport(fixture)
        try await fixture.withApp(workers: fixture.pool()) { client in
            let created = try await client.call(.post, "/api/exports", token: token, body: Self.createBody)
            #expect(created.status == .created)
            let id = created.json.dataID
            #expect(created.headers[.location] == "http://localhost/api/exports/\(id)")
            #expect(created.json.attribute("status") == "pending")
            #expect(created.json.attribute("records_count") == 99)
            #expect(created.json.attribute("reference") == "r-1")
            #expect(created.json.attribute("metadata")?["team"] == "ops")
            #expect(created.json["data"]?["links"]?["self"] == .string("http://localhost/api/exports/\(id)"))
            let done = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            #expect(done.attribute("processed_count") == 99)
            #expect(done.attribute("progress") == .double(100))
            #expect(done.attribute("started_at")?.stringValue != nil)
            #expect(done.attribute("completed_at")?.stringValue != nil)
            let response = try await Self.download(client, done)
            #expect(response.status == .ok)
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"skus-export-\(id).json.gz\"")
            #expect(try await gunzip(Array(response.body.readableBytesView)) == expected)

            // Range: the first ten bytes and the rest make the file.
            let whole = Array(response.body.readableBytesView)
            let head = try await Self.download(client, done, headers: [.range: "bytes=0-9"])
            #expect(head.status == .partialContent)
            #expect(head.headers[.contentRange] == "bytes 0-9/\(whole.count)")
            #expect(Array(head.body.readableBytesView) == Array(whole[0..<10]))
            let tail = try await Self.download(client, done, headers: [.range: "bytes=10-"])
            #expect(Array(tail.body.readableBytesView) == Array(whole[10...]))
            let outside = try await Self.download(client, done, headers: [.range: "bytes=\(whole.count + 5)-"])
            #expect(outside.status == .rangeNotSatisfiable)

            // List with a filter over the export's own fields, a sort and a sparse fieldset.
            let list = try await client.call(.get, "/api/exports?filter[q][status_eq]=completed&sort=-created_at&fields[exports]=status,attachment_url", token: token)
            guard case .array(let items)? = list.json["data"] else { Issue.record("no data"); return }
            #expect(items.count == 1)
            let attributes = items.first?["attributes"]?.objectMembers?.map(\.key)
            #expect(attributes == ["status", "attachment_url"])
            let none = try await client.call(.get, "/api/exports?filter[q][status_eq]=failed", token: token)
            #expect(none.json["meta"]?["record_count"] == 0)
        }
    }

    @Test("attachment URLs that are tampered with or expired are 403")
    func signedURLs() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let id = try await client.call(.post, "/api/exports", token: token, body: Self.createBody).json.dataID
            let done = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            let url = try #require(done.attribute("attachment_url")?.stringValue).dropFirst("http://localhost".count)
            #expect(try await client.execute(uri: String(url), method: .get).status == .ok)
            let tampered = url.replacingOccurrences(of: "signature=", with: "signature=0")
            #expect(try await client.execute(uri: tampered, method: .get).status == .forbidden)
            let otherMode = url.replacingOccurrences(of: "/attachments/test/", with: "/attachments/live/")
            #expect(try await client.execute(uri: otherMode, method: .get).status == .forbidden)
            let later = url.replacingOccurrences(of: "expires=", with: "expires=9")
            #expect(try await client.execute(uri: later, method: .get).status == .forbidden)
            let expired = fixture.services.attachments.url(base: "", mode: .test, kind: .export, id: id, lifetime: -1)
            let answer = try await client.call(.get, expired, token: nil)
            #expect(answer.status == .forbidden)
            #expect(answer.json.error("code") == "FORBIDDEN")
            // Every GET signs afresh.
            let again = try await client.call(.get, "/api/exports/\(id)", token: token).json
            #expect(again.attribute("attachment_url")?.stringValue != nil)
        }
    }

    @Test("_interrupt then _start resumes from the checkpoint and gives a byte-identical file")
    func interruptAndResume() async throws {
        let fixture = try await APIFixture(skus: 120)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let expected = try await Self.directExport(fixture)
        let gate = CheckpointGate()
        let configuration = JobConfiguration(
            pollInterval: .milliseconds(5), progressInterval: .zero, batchSize: 7, flushBytes: 1,
            afterCheckpoint: { try await gate.hook($0, $1, $2) })
        try await fixture.withApp(workers: fixture.pool(configuration)) { client in
            let id = try await client.call(.post, "/api/exports", token: token, body: Self.createBody).json.dataID
            // The worker waits at its first checkpoint.
            try await gate.waitForCheckpoints(1)
            let running = try await client.call(.get, "/api/exports/\(id)", token: token).json
            #expect(running.attribute("status") == "in_progress")
            #expect(running.attribute("processed_count") == 7)
            #expect(running.attribute("estimated_completion_at")?.stringValue != nil)
            let interrupted = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","id":"\#(id)","attributes":{"_interrupt":true}}}"#)
            #expect(interrupted.status == .ok)
            #expect(interrupted.json.attribute("status") == "interrupted")
            #expect(interrupted.json.attribute("interrupted_at")?.stringValue != nil)
            await gate.open()
            // The worker lets go; the job stays interrupted and has no attachment.
            let stopped = try await client.poll("/api/exports/\(id)", token: token) { _ in
                (try? fixture.dataset().job(JobTypes.exports, id: id))??.leaseOwner == nil
            }
            #expect(stopped.attribute("status") == "interrupted")
            #expect(stopped.attribute("attachment_url") == .null)
            let again = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","attributes":{"_interrupt":true}}}"#)
            #expect(again.status == .unprocessableContent)
            #expect(again.json.error("source")?["pointer"] == "/data/attributes/_interrupt")

            let restarted = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","attributes":{"_start":true}}}"#)
            #expect(restarted.json.attribute("status") == "pending")
            let done = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            let response = try await Self.download(client, done)
            #expect(try await gunzip(Array(response.body.readableBytesView)) == expected)
            // The second run started where the first stopped: only one checkpoint is at the first batch.
            let seen = await gate.seen
            #expect(seen.filter { $0.recordsIn == 7 }.count == 1)
            #expect(seen.last?.recordsIn == 99)

            let completedStart = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","attributes":{"_start":true}}}"#)
            #expect(completedStart.status == .unprocessableContent)
            #expect(completedStart.json.error("code") == "VALIDATION_ERROR")
        }
    }

    @Test("a job whose server was killed completes after restart, with the same file")
    func killedServer() async throws {
        let fixture = try await APIFixture(skus: 120)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let expected = try await Self.directExport(fixture)
        let gate = CheckpointGate()
        // The first process: stops mid-export and, like a killed one, leaves the job in_progress.
        // One worker: with two, on a loaded machine, the other could take the job over from the
        // one waiting at the gate once a heartbeat came late, and move the checkpoint on.
        let crashing = fixture.pool(JobConfiguration(
            workers: 1, leaseSeconds: 0.3, heartbeat: .milliseconds(50), pollInterval: .milliseconds(5), progressInterval: .zero, batchSize: 7, flushBytes: 1,
            onCancel: .abandon, afterCheckpoint: { try await gate.hook($0, $1, $2) }))
        let id = try await fixture.withApp { client in
            try await client.call(.post, "/api/exports", token: token, body: Self.createBody).json.dataID
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await crashing.run() }
            try await gate.waitForCheckpoints(1)
            group.cancelAll()
            await gate.open()
            try await group.waitForAll()
        }
        let left = try #require(try fixture.dataset().job(JobTypes.exports, id: id))
        #expect(left.status == .inProgress)
        #expect(left.checkpoint?.recordsIn == 7)
        // The next process takes it over once the dead one's lease lapses, and resumes.
        try await fixture.withApp(workers: fixture.pool()) { client in
            let done = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            let response = try await Self.download(client, done)
            #expect(try await gunzip(Array(response.body.readableBytesView)) == expected)
        }
    }

    @Test("delete answers 204 and removes the attachment")
    func delete() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let id = try await client.call(.post, "/api/exports", token: token, body: Self.createBody).json.dataID
            _ = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            let file = fixture.environment.directory.attachmentURL(mode: .test, kind: .export, id: id, format: "json")
            #expect(FileManager.default.fileExists(atPath: file.path))
            let deleted = try await client.call(.delete, "/api/exports/\(id)", token: token)
            #expect(deleted.status == .noContent)
            #expect(!FileManager.default.fileExists(atPath: file.path))
            #expect(try await client.call(.get, "/api/exports/\(id)", token: token).status == .notFound)
        }
    }

    @Test("reference, reference_origin and metadata are updatable; other attributes are not")
    func update() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let id = try await client.call(.post, "/api/exports", token: token, body: Self.createBody).json.dataID
            let updated = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","id":"\#(id)","attributes":{"reference":"r-2","reference_origin":"erp","metadata":{"a":1}}}}"#)
            #expect(updated.status == .ok)
            #expect(updated.json.attribute("reference") == "r-2")
            #expect(updated.json.attribute("reference_origin") == "erp")
            #expect(updated.json.attribute("metadata")?["a"] == 1)
            let refused = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","attributes":{"format":"csv"}}}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.json.error("source")?["pointer"] == "/data/attributes/format")
            let wrongID = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","id":"other","attributes":{}}}"#)
            #expect(wrongID.status == .conflict)
            // A pending export can be interrupted (no worker runs here).
            let interrupted = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","attributes":{"_interrupt":true}}}"#)
            #expect(interrupted.json.attribute("status") == "interrupted")
        }
    }

    @Test("pagination: page size, links and counts")
    func pagination() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            for _ in 0..<5 { try await client.call(.post, "/api/exports", token: token, body: Self.createBody) }
            let page = try await client.call(.get, "/api/exports?page[size]=2&page[number]=2&sort=created_at", token: token).json
            guard case .array(let items)? = page["data"] else { Issue.record("no data"); return }
            #expect(items.count == 2)
            #expect(page["meta"]?["record_count"] == 5)
            #expect(page["meta"]?["page_count"] == 3)
            #expect(page["links"]?["next"]?.stringValue?.contains("page[number]=3") == true)
            #expect(page["links"]?["prev"]?.stringValue?.contains("page[number]=1") == true)
            #expect(page["links"]?["last"]?.stringValue?.contains("page[number]=3") == true)
            let all = try await client.call(.get, "/api/exports?page[size]=25&sort=created_at", token: token).json
            guard case .array(let everything)? = all["data"] else { return }
            #expect(items.map { $0["id"] } == Array(everything[2..<4]).map { $0["id"] })
        }
    }
}
