import FerryAPI
import FerryCore
import FerryJobs
import FerryStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Import jobs over HTTP", .timeLimit(.minutes(1)))
struct ImportJobTests {
    static func codes(_ dataset: Dataset, type: String, start: String) throws -> [String] {
        let resource = ResourceCatalog.commerce[type]!
        let filter = try Filter([(key: "code_start", value: .string(start))], for: resource, in: .commerce)
        return try dataset.fetchPage(RecordQuery(type: resource, filter: filter), after: nil, limit: 100).compactMap { $0["code"]?.stringValue }
    }

    @Test("a JSON import creates, then a re-run changes nothing; the records show in the dataset")
    func jsonInputs() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token(.live)
        let body = #"{"data":{"type":"imports","attributes":{"resource_type":"skus","inputs":[{"code":"NEW-1","name":"One","shipping_category_code":"SC-X"},{"code":"NEW-2","name":"Two","shipping_category_code":"SC-X"}]}}}"#
        try DatasetSeeder(dataset: fixture.dataset(.live), options: .init(skus: 3, seed: 3)).run()
        let category = try fixture.dataset(.live).fetchPage(RecordQuery(type: ResourceCatalog.commerce["shipping_categories"]!), after: nil, limit: 1)[0]["code"]!.stringValue!
        try await fixture.withApp(workers: fixture.pool()) { client in
            let created = try await client.call(.post, "/api/imports", token: token, body: body.replacingOccurrences(of: "SC-X", with: category))
            #expect(created.status == .created)
            #expect(created.json.attribute("inputs_size") == 2)
            #expect(created.json.attribute("status") == "pending")
            #expect(created.json["data"]?["meta"]?["mode"] == "live")
            let done = try await client.poll("/api/imports/\(created.json.dataID)", token: token) { $0.attribute("status") == "completed" }
            #expect(done.attribute("processed_count") == 2)
            #expect(done.attribute("created_count") == 2)
            #expect(done.attribute("errors_count") == 0)
            #expect(done.attribute("errors_log") == .object([]))
            #expect(done.attribute("attachment_url")?.stringValue != nil)
            #expect(try Self.codes(fixture.dataset(.live), type: "skus", start: "NEW-") == ["NEW-1", "NEW-2"])
            #expect(try Self.codes(fixture.dataset(.test), type: "skus", start: "NEW-").isEmpty)

            // The stored inputs download as gzip and hold what was sent.
            let url = try #require(done.attribute("attachment_url")?.stringValue).dropFirst("http://localhost".count)
            let stored = try await client.execute(uri: String(url), method: .get)
            let inputs = try JSONParser.parse(try await gunzip(Array(stored.body.readableBytesView)))
            #expect(inputs.jsonText.contains("NEW-2"))

            let rerun = try await client.call(.post, "/api/imports", token: token, body: body.replacingOccurrences(of: "SC-X", with: category))
            let second = try await client.poll("/api/imports/\(rerun.json.dataID)", token: token) { $0.attribute("status") == "completed" }
            // Unchanged inputs are processed too: processed_count + errors_count == inputs_size.
            #expect(second.attribute("processed_count") == 2)
            #expect(second.attribute("unchanged_count") == 2)
            #expect(second.attribute("created_count") == 0 && second.attribute("updated_count") == 0)
            #expect(try Self.codes(fixture.dataset(.live), type: "skus", start: "NEW-").count == 2)
        }
    }

    @Test("bad inputs are logged under their key with attribute and message; over 10% interrupts")
    func errorsLog() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let body = #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[{"name":"a"},{"name":"b"},{"colour":"red"},{"name":"c","colour":"blue"}]}}}"#
            let interrupted = try await client.call(.post, "/api/imports", token: token, body: body)
            let stopped = try await client.poll("/api/imports/\(interrupted.json.dataID)", token: token) { $0.attribute("status") != "pending" && $0.attribute("status") != "in_progress" }
            #expect(stopped.attribute("status") == "interrupted")
            #expect(stopped.attribute("errors_count") == 2)
            // Under the input's natural key, as Commerce Layer logs; by index only without a key.
            #expect(stopped.attribute("errors_log")?["c"]?["colour"] == .array(["is not an attribute of tags"]))
            #expect(stopped.attribute("errors_log")?["#2"]?["colour"] == .array(["is not an attribute of tags"]))

            let skipping = try await client.call(.post, "/api/imports", token: token, body: body.replacingOccurrences(of: #""inputs""#, with: #""skip_errors":true,"inputs""#))
            let done = try await client.poll("/api/imports/\(skipping.json.dataID)", token: token) { $0.attribute("status") == "completed" }
            #expect(done.attribute("errors_count") == 2)
        }
    }

    /// An import interrupted by its error threshold and started again redoes the inputs after its
    /// checkpoint, now unchanged: its counts stay what they were, never drop.
    @Test("_start on an interrupted import keeps processed_count; processed + errors == inputs_size")
    func restartedImportKeepsItsCounts() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let inputs = (0..<40).map { $0 % 8 == 0 ? #"{"colour":"red"}"# : #"{"name":"restart-\#($0)"}"# }.joined(separator: ",")
            let created = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[\#(inputs)]}}}"#)
            let id = created.json.dataID
            func settled(_ json: JSONValue) -> Bool { json.attribute("status") == "interrupted" || json.attribute("status") == "completed" }
            let first = try await client.poll("/api/imports/\(id)", token: token, until: settled)
            #expect(first.attribute("status") == "interrupted")
            #expect(first.attribute("processed_count") == 35 && first.attribute("errors_count") == 5)
            let restarted = try await client.call(.patch, "/api/imports/\(id)", token: token, body: #"{"data":{"type":"imports","id":"\#(id)","attributes":{"_start":true}}}"#)
            #expect(restarted.status == .ok)
            #expect(restarted.json.attribute("status") == "pending")
            let second = try await client.poll("/api/imports/\(id)", token: token, until: settled)
            #expect(second.attribute("status") == "interrupted")
            #expect(second.attribute("processed_count") == 35, "the count never drops")
            #expect(second.attribute("errors_count") == 5)
            #expect(second.attribute("unchanged_count") == 35)
        }
    }

    /// A worker killed after a batch's transaction but before its checkpoint: the next one redoes
    /// the batch (its records now unchanged) and the counts still add up to what was written.
    @Test("a batch written but not checkpointed before a kill is counted once")
    func killedBetweenBatchAndCheckpoint() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        let gate = CheckpointGate()
        let crashing = fixture.pool(JobConfiguration(
            workers: 1, leaseSeconds: 0.3, heartbeat: .milliseconds(50), pollInterval: .milliseconds(5), progressInterval: .zero, batchSize: 7,
            onCancel: .abandon, afterCheckpoint: { try await gate.hook($0, $1, $2) }))
        let records = (0..<30).map { Record(["name": .string("killed-\($0)")]) }
        let inputs = records.map { $0.jsonValue.jsonText }.joined(separator: ",")
        let id = try await fixture.withApp { client in
            try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[\#(inputs)]}}}"#).json.dataID
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await crashing.run() }
            try await gate.waitForCheckpoints(1)
            group.cancelAll()
            await gate.open()
            try await group.waitForAll()
        }
        let left = try #require(try fixture.dataset().job(JobTypes.imports, id: id))
        #expect(left.status == .inProgress && left.checkpoint?.recordsIn == 7)
        // What the killed worker's second transaction had committed when it died.
        let importer = RecordImporter(dataset: try fixture.dataset(), type: try ResourceCatalog.commerce.type(named: "tags"))
        try importer.importBatch(Array(records[7..<14]))
        try await fixture.withApp(workers: fixture.pool()) { client in
            let done = try await client.poll("/api/imports/\(id)", token: token) { $0.attribute("status") == "completed" }
            #expect(done.attribute("processed_count") == 30)
            #expect(done.attribute("errors_count") == 0)
            #expect(done.attribute("inputs_size") == 30)
        }
        let written = try await fixture.dataset().pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tags WHERE name LIKE 'killed-%'") }
        #expect(written == 30)
    }

    @Test("CSV inputs as a string, and a gzip file as a multipart upload")
    func csvAndUpload() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let csv = #"{"data":{"type":"imports","attributes":{"resource_type":"tags","format":"csv","inputs":"name\nred\n\"blue, dark\"\n"}}}"#
            let created = try await client.call(.post, "/api/imports", token: token, body: csv)
            let done = try await client.poll("/api/imports/\(created.json.dataID)", token: token) { $0.attribute("status") == "completed" }
            #expect(done.attribute("processed_count") == 2)
            #expect(done.attribute("inputs_size") == 2)

            // A gzip NDJSON file, uploaded in parts the parser has to stitch together.
            let ndjson = Array("{\"name\":\"green\"}\n{\"name\":\"yellow\"}\n{\"name\":\"violet\"}\n".utf8)
            let gzipped = GzipCompressorFixture.gzip(ndjson)
            let boundary = "ferry-test-boundary"
            var multipart = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nndjson\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tags.ndjson.gz\"\r\nContent-Type: application/gzip\r\n\r\n".utf8)
            multipart += gzipped
            multipart += Array("\r\n--\(boundary)--\r\n".utf8)
            let upload = try await client.execute(
                uri: "/api/imports", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(bytes: multipart))
            #expect(upload.status == .created)
            let id = try JSONParser.parse(Array(upload.body.readableBytesView)).dataID
            let uploaded = try await client.poll("/api/imports/\(id)", token: token) { $0.attribute("status") == "completed" }
            #expect(uploaded.attribute("processed_count") == 3)
            let stored = fixture.environment.directory.attachmentURL(mode: .test, kind: .import, id: id, format: "ndjson")
            #expect([UInt8](try Data(contentsOf: stored)) == gzipped)

            let missingFile = try await client.execute(
                uri: "/api/imports", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--\(boundary)--\r\n"))
            #expect(missingFile.status == .unprocessableContent)
        }
    }

    /// Text no errors_log, warnings_log or error (its detail and meta) may show: where the server
    /// keeps its files, Swift type names, SQL.
    static func requireNothingInternal(_ json: JSONValue, _ fixture: APIFixture, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = [json.attribute("errors_log"), json.attribute("warnings_log"), json["errors"]].compactMap { $0?.jsonText }.joined(separator: " ")
        let forbidden = [fixture.url.path, "/tmp/", "attachments/", ".gz", ".swift", "FormatError", "JSONParseError", "DatabaseError",
                         "Error(", "SQLite", "SELECT ", "INSERT ", "UPDATE ", "constraint failed", "FerryCore", "FerryStore"]
        for word in forbidden {
            #expect(!text.contains(word), "'\(word)' shows in \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("a CSV sent without format is told from its content and imported")
    func csvWithoutFormat() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let created = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":"name\nsniffed-1\nsniffed-2\n"}}}"#)
            #expect(created.status == .created)
            #expect(created.json.attribute("format") == "csv")
            let done = try await client.poll("/api/imports/\(created.json.dataID)", token: token) { $0.attribute("status") == "completed" }
            #expect(done.attribute("processed_count") == 2)
            #expect(done.attribute("errors_log") == .object([]))
            // NDJSON given as a string, and a file upload named by neither part nor format.
            let ndjson = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":"{\"name\":\"sniffed-3\"}\n"}}}"#)
            #expect(ndjson.json.attribute("format") == "ndjson")
            let boundary = "ferry-sniff"
            var multipart = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\n\r\n".utf8)
            multipart += GzipCompressorFixture.gzip(Array("name\nsniffed-4\n".utf8))
            multipart += Array("\r\n--\(boundary)--\r\n".utf8)
            let upload = try await client.execute(
                uri: "/api/imports", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(bytes: multipart))
            let uploaded = try JSONParser.parse(Array(upload.body.readableBytesView))
            #expect(upload.status == .created)
            #expect(uploaded.attribute("format") == "csv")
            let finished = try await client.poll("/api/imports/\(uploaded.dataID)", token: token) { $0.attribute("status") == "completed" }
            #expect(finished.attribute("processed_count") == 1)
        }
    }

    /// Bad input never fails an import: what cannot be read ends it interrupted with a Commerce
    /// Layer–shaped errors_log; a format the content contradicts is refused at create. No answer
    /// shows a server path, a Swift type name or SQL.
    @Test("bad inputs end interrupted or are refused, and nothing internal shows", arguments: [
        (#"{"resource_type":"tags","inputs":"{\"name\":\"ok-1\"}\n{\"name\":\n{\"name\":\"ok-3\"}\n"}"#, "record 2"),
        (#"{"resource_type":"tags","format":"csv","inputs":"name\nok-1\nok-2,extra\n"}"#, "expected 1 cells, found 2"),
        (#"{"resource_type":"tags","format":"json","inputs":"[{\"name\":\"ok-1\"},{\"name\" \"ok-2\"}]"}"#, "record 2"),
        (#"{"resource_type":"tags","format":"json","inputs":"name\nred\n"}"#, "422"),
        (#"{"resource_type":"tags","format":"ndjson","inputs":"[{\"name\":\"red\"}]"}"#, "422"),
    ])
    func badInputs(attributes: String, expected: String) async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let created = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":\#(attributes)}}"#)
            Self.requireNothingInternal(created.json, fixture)
            if expected == "422" {
                #expect(created.status == .unprocessableContent)
                #expect(created.json.error("source")?["pointer"] == "/data/attributes/format")
                return
            }
            #expect(created.status == .created)
            let stopped = try await client.poll("/api/imports/\(created.json.dataID)", token: token) { !["pending", "in_progress"].contains($0.attribute("status")?.stringValue ?? "") }
            #expect(stopped.attribute("status") == "interrupted")
            Self.requireNothingInternal(stopped, fixture)
            let problem = stopped.attribute("errors_log")?["inputs"]?["base"]
            #expect(Self.firstMessage(problem)?.contains(expected) == true, "\(stopped.attribute("errors_log")?.jsonText ?? "")")
            // What was written before the problem (whole batches) is what is counted.
            #expect(stopped.attribute("processed_count") == .int(Int64(try Self.tagCount(fixture, "ok-%"))))
        }
    }

    static func firstMessage(_ messages: JSONValue?) -> String? {
        guard case .array(let items)? = messages else { return nil }
        return items.first?.stringValue
    }

    static func tagCount(_ fixture: APIFixture, _ pattern: String) throws -> Int {
        try fixture.dataset().pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tags WHERE name LIKE ?", arguments: [pattern]) ?? 0 }
    }

    @Test("damaged gzip, a row the database refuses and a missing stored file show nothing internal")
    func problemsShowNothingInternal() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            // A gzip upload cut short.
            let boundary = "ferry-cut"
            let gzipped = GzipCompressorFixture.gzip(Array((0..<2000).map { "{\"name\":\"cut-\($0)\"}\n" }.joined().utf8))
            var multipart = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nndjson\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tags.ndjson.gz\"\r\n\r\n".utf8)
            multipart += gzipped.prefix(gzipped.count / 2)
            multipart += Array("\r\n--\(boundary)--\r\n".utf8)
            let upload = try await client.execute(
                uri: "/api/imports", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(bytes: multipart))
            #expect(upload.status == .created)
            let id = try JSONParser.parse(Array(upload.body.readableBytesView)).dataID
            let cut = try await client.poll("/api/imports/\(id)", token: token) { !["pending", "in_progress"].contains($0.attribute("status")?.stringValue ?? "") }
            #expect(cut.attribute("status") == "interrupted")
            #expect(Self.firstMessage(cut.attribute("errors_log")?["inputs"]?["base"])?.contains("gzip") == true, "\(cut.attribute("errors_log")?.jsonText ?? "")")
            Self.requireNothingInternal(cut, fixture)

            // A row the database refuses: the SKU given a code another SKU has.
            let first = try await fixture.dataset().pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM skus WHERE code = 'SKU-000001'")! }
            let taken = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"skus","skip_errors":true,"inputs":[{"id":"\#(first)","code":"SKU-000002"}]}}}"#)
            let refused = try await client.poll("/api/imports/\(taken.json.dataID)", token: token) { $0.attribute("status") == "completed" }
            #expect(refused.attribute("errors_log")?["SKU-000002"]?["code"] == ["has already been taken"], "\(refused.attribute("errors_log")?.jsonText ?? "")")
            Self.requireNothingInternal(refused, fixture)
        }
        // A stored file gone missing is the server's problem, not the input's: the import fails,
        // saying so without the path.
        let id = try await fixture.withApp { client in
            try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[{"name":"lost"}]}}}"#).json.dataID
        }
        try FileManager.default.removeItem(at: fixture.environment.directory.attachmentURL(mode: .test, kind: .import, id: id, format: "json"))
        try await fixture.withApp(workers: fixture.pool()) { client in
            let failed = try await client.poll("/api/imports/\(id)", token: token) { $0.attribute("status") == "failed" }
            #expect(failed.attribute("errors_log")?["storage_error"]?.stringValue?.contains("cannot open the file") == true, "\(failed.attribute("errors_log")?.jsonText ?? "")")
            Self.requireNothingInternal(failed, fixture)
        }
    }

    @Test("invalid imports are refused with a pointer and leave nothing behind", arguments: [
        (#"{"resource_type":"colours","inputs":[{"a":1}]}"#, "/data/attributes/resource_type"),
        (#"{"resource_type":"tags"}"#, "/data/attributes/inputs"),
        (#"{"resource_type":"tags","inputs":[]}"#, "/data/attributes/inputs"),
        (#"{"resource_type":"tags","inputs":[1]}"#, "/data/attributes/inputs/0"),
        (#"{"resource_type":"tags","format":"pdf","inputs":"x"}"#, "/data/attributes/format"),
        (#"{"resource_type":"tags","inputs":[{"name":"x"}],"cleanup":true}"#, "/data/attributes/cleanup"),
    ])
    func invalidImports(attributes: String, pointer: String) async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let answer = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":\#(attributes)}}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.json.error("source")?["pointer"]?.stringValue == pointer)
            #expect(try fixture.dataset().jobs(JobTypes.imports, offset: 0, limit: 10).total == 0)
            let folder = fixture.url.appendingPathComponent("attachments/test/imports")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty)
        }
    }
}

/// Gzip for test inputs, through the system's gzip (independent of Ferry's compressor).
enum GzipCompressorFixture {
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        try! runProgramBlocking(URL(fileURLWithPath: "/usr/bin/env"), ["gzip", "-c"], input: bytes, mergeErrors: false).output
    }
}
