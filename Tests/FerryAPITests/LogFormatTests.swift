import FerryAPI
import FerryCore
import Foundation
import Testing

@Suite("ferry serve --log-format json", .timeLimit(.minutes(1)))
struct LogFormatTests {
    static let binary = OpenAPITests.root.appendingPathComponent(".build/debug/ferry")

    @Test("every line is one JSON object with timestamp, level, label and message; requests carry request_id, jobs job_id and mode")
    func jsonLines() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "the ferry executable is built by swift test")
        let fixture = try await APIFixture(skus: 20)
        defer { fixture.remove() }
        let server = try RunningProgram(Self.binary, [
            "serve", "--data-dir", fixture.url.path, "--port", "0", "--workers", "1", "--log-format", "json", "--no-schedules",
        ], environment: ["PATH": "/usr/bin:/bin", "FERRY_SECRET": String(decoding: APIFixture.secret.bytes, as: UTF8.self)])
        let port = try await server.wait { program in
            program.errors.split(separator: "\n").lazy.compactMap { line in
                line.range(of: "listening on 127.0.0.1:").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
            }.first
        }
        guard let port else {
            try await server.stop()
            Issue.record("the server did not say where it listens: \(server.errors)")
            return
        }
        let client = FerryClient(server: "http://127.0.0.1:\(port)/", token: try await fixture.token())
        let job: FerryClient.Job
        do {
            let created = try await client.createExport([JSONMember("resource_type", "skus")])
            job = try await client.wait(for: created, every: .milliseconds(10)) { _ in }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            try await server.stop()
            throw error
        }
        #expect(job.status == .completed)
        let status = try await server.stop()
        #expect(status == 0)
        #expect(server.output.isEmpty)

        let lines = server.errors.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count >= 4)
        var objects: [JSONValue] = []
        for line in lines {
            guard let object = try? JSONParser.parse(Array(line.utf8)), object.objectMembers != nil else {
                Issue.record("not a JSON object: \(line)")
                continue
            }
            objects.append(object)
            let timestamp = object["timestamp"]?.stringValue ?? ""
            #expect((try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp)) != nil, "\(line)")
            #expect(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(object["level"]?.stringValue ?? ""), "\(line)")
            #expect(object["label"]?.stringValue?.hasPrefix("ferry") == true, "\(line)")
            #expect(object["message"]?.stringValue?.isEmpty == false, "\(line)")
        }
        #expect(objects.contains { $0["request_id"]?.stringValue?.isEmpty == false && $0["hb.request.path"]?.stringValue == "/api/exports" })
        let jobLines = objects.filter { $0["job_id"]?.stringValue == job.id }
        #expect(jobLines.contains { $0["message"] == "job completed" && $0["mode"] == "test" && $0["kind"] == "exports" && $0["label"] == "ferry.jobs" })
        #expect(jobLines.contains { $0["message"] == "job started" })
    }

    @Test("text stays the default; an unknown format is refused")
    func textDefault() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "the ferry executable is built by swift test")
        let (status, output) = try await runProgram(Self.binary, ["serve", "--log-format", "yaml"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(status != 0)
        #expect(String(decoding: output, as: UTF8.self).contains("log-format"))
        let (_, help) = try await runProgram(Self.binary, ["serve", "--help"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(String(decoding: help, as: UTF8.self).contains("--log-format <log-format>"))
        #expect(String(decoding: help, as: UTF8.self).contains("default: text"))
    }
}
