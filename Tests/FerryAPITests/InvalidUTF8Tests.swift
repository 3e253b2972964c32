import FerryAPI
import FerryCore
import FerryStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bytes that are not UTF-8 (`\xff\xfe`) are refused, never replaced with U+FFFD: a request body
/// holding them is a 400 naming the byte offset; an uploaded import file has the record holding
/// them refused and logged, the rest imported.
@Suite("Invalid UTF-8 over HTTP", .timeLimit(.minutes(1)))
struct InvalidUTF8Tests {
    static let bad: [UInt8] = [0xFF, 0xFE]

    @Test("a JSON:API body with invalid UTF-8 is a 400 naming the byte offset", arguments: [
        ("/api/exports", #"{"data":{"type":"exports","attributes":{"resource_type":"skus","reference":"r-"#),
        ("/api/imports", #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[{"name":"t-"#),
    ])
    func requestBodies(path: String, head: String) async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let tail = path == "/api/exports" ? #""}}}"# : #""}]}}}"#
        let body = Array(head.utf8) + Self.bad + Array(tail.utf8)
        let before = try fixture.dataset().count(RecordQuery(type: ResourceCatalog.jobs.type(named: String(path.dropFirst(5)))))
        try await fixture.withApp { client in
            let answer = try await client.execute(
                uri: path, method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/vnd.api+json"],
                body: ByteBuffer(bytes: body))
            #expect(answer.status == .badRequest)
            let json = try JSONParser.parse(Array(answer.body.readableBytesView))
            let detail = json.error("detail")?.stringValue ?? ""
            #expect(detail.contains("UTF-8") && detail.contains("byte offset \(head.utf8.count)"), "\(detail)")
            #expect(!detail.contains("\u{FFFD}"))
        }
        let after = try fixture.dataset().count(RecordQuery(type: ResourceCatalog.jobs.type(named: String(path.dropFirst(5)))))
        #expect(after == before, "no job was made")
    }

    @Test("a form field or part header of a multipart upload with invalid UTF-8 is a 400, nothing stored")
    func uploadFields() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let boundary = "ferry-utf8-fields"
            let field = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"reference\"\r\n\r\n".utf8)
                + Self.bad + Array("\r\n".utf8)
            let header = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t".utf8)
                + Self.bad + Array(".ndjson\"\r\n\r\n".utf8)
            for head in [field, header] {
                let body = head + Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tags.ndjson\"\r\n\r\n{\"name\":\"x\"}\n\r\n--\(boundary)--\r\n".utf8)
                let upload = try await client.execute(
                    uri: "/api/imports", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(bytes: body))
                #expect(upload.status == .badRequest, "\(String(decoding: Array(upload.body.readableBytesView), as: UTF8.self))")
            }
            #expect(try fixture.dataset().jobs(JobTypes.imports, offset: 0, limit: 10).total == 0)
        }
    }

    @Test("an uploaded import file with invalid UTF-8 in one record: that record is refused and logged, the rest imported")
    func uploadedFile() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        var file: [UInt8] = []
        var badAt = 0
        for i in 1...12 {
            if i == 5 {
                file += Array(#"{"name":"utf8-bad-"#.utf8)
                badAt = file.count
                file += Self.bad + Array(#""}"#.utf8) + [10]
            } else {
                file += Array(#"{"name":"utf8-tag-\#(i)"}"#.utf8) + [10]
            }
        }
        let ndjson = file, offset = badAt
        try await fixture.withApp(workers: fixture.pool()) { client in
            let boundary = "ferry-utf8-boundary"
            var multipart = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nndjson\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tags.ndjson\"\r\nContent-Type: application/x-ndjson\r\n\r\n".utf8)
            multipart += ndjson
            multipart += Array("\r\n--\(boundary)--\r\n".utf8)
            let upload = try await client.execute(
                uri: "/api/imports", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(bytes: multipart))
            #expect(upload.status == .created)
            let id = try JSONParser.parse(Array(upload.body.readableBytesView)).dataID
            let done = try await client.poll("/api/imports/\(id)", token: token) {
                ["completed", "interrupted", "failed"].contains($0.attribute("status")?.stringValue ?? "")
            }
            #expect(done.attribute("status") == "completed", "\(done.jsonText)")
            #expect(done.attribute("errors_count") == 1)
            guard case .object(let entries)? = done.attribute("errors_log") else { Issue.record("no errors_log: \(done.jsonText)"); return }
            #expect(entries.count == 1)
            let messages = entries.first?.value["name"]
            #expect(messages == .array([.string("is not valid UTF-8 (byte offset \(offset) of the file)")]), "\(done.jsonText)")
            #expect(!done.jsonText.contains("ferry:"))
        }
        let tags = try fixture.dataset().catalog.type(named: "tags")
        let names = try fixture.dataset().fetchPage(RecordQuery(type: tags), after: nil, limit: 1000).compactMap { $0["name"]?.stringValue }
        #expect(names.filter { $0.hasPrefix("utf8-tag-") }.count == 11)
        #expect(!names.contains { $0.hasPrefix("utf8-bad") })
    }

    @Test("ferry import: the record with invalid UTF-8 is refused and reported with its offset, the rest imported, exit 1")
    func commandLineImport() async throws {
        let binary = OpenAPITests.root.appendingPathComponent(".build/debug/ferry")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the ferry executable is built by swift test")
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let header = Array("name\ncli-tag-1\ncli-bad-".utf8)
        let csv = header + Self.bad + Array("\ncli-tag-2\ncli-tag-3\ncli-tag-4\ncli-tag-5\ncli-tag-6\ncli-tag-7\ncli-tag-8\ncli-tag-9\ncli-tag-10\n".utf8)
        let input = fixture.url.appendingPathComponent("tags.csv")
        try Data(csv).write(to: input)
        let log = fixture.url.appendingPathComponent("errors.json")
        let (status, output) = try await runProgram(
            binary, ["import", "--type", "tags", "--input", input.path, "--errors-log", log.path, "--quiet", "--data-dir", fixture.url.path],
            environment: ["PATH": "/usr/bin:/bin"])
        let text = String(decoding: output, as: UTF8.self)
        #expect(status == 1, "\(text)")
        #expect(text.contains("created 10") && text.contains("errors 1"), "\(text)")
        #expect(text.contains("byte offset \(header.count)"), "\(text)")
        let written = try JSONParser.parse([UInt8](try Data(contentsOf: log)))
        #expect(written.jsonText.contains("is not valid UTF-8 (byte offset \(header.count) of the file)"))
        let tags = try fixture.dataset().catalog.type(named: "tags")
        let names = try fixture.dataset().fetchPage(RecordQuery(type: tags), after: nil, limit: 1000).compactMap { $0["name"]?.stringValue }
        #expect(names.filter { $0.hasPrefix("cli-tag-") }.count == 10)
        #expect(!names.contains { $0.hasPrefix("cli-bad") })
    }
}
