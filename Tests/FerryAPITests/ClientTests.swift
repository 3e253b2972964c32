import FerryAPI
import FerryCore
import FerryStages
import Foundation
import HummingbirdTesting
import Testing

@Suite("The CLI as a client of a server", .timeLimit(.minutes(1)))
struct ClientTests {
    @Test("FerryClient creates, follows and downloads an export, uploads an import, and reports errors")
    func client() async throws {
        let fixture = try await APIFixture(skus: 40)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let expected = try await ExportJobTests.directExport(fixture)
        try await fixture.withApp(workers: fixture.pool(), live: true) { test in
            let port = try #require(test.port)
            let client = FerryClient(server: "http://127.0.0.1:\(port)/", token: token)
            do {
                let created = try await client.createExport([
                    JSONMember("resource_type", "skus"), JSONMember("includes", ["prices.price_tiers"]),
                    JSONMember("filters", .object([JSONMember("code_start", "SKU-0000")])),
                ])
                var seen: [JobStatus] = []
                let done = try await client.wait(for: created, every: .milliseconds(5)) { seen.append($0.status) }
                #expect(done.status == .completed)
                #expect(seen.last == .completed)
                #expect(done.processed == done.total)
                let plain = fixture.url.appendingPathComponent("remote.json").path
                _ = try await client.download(done, to: plain)
                #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: plain))) == expected)
                let packed = fixture.url.appendingPathComponent("remote.json.gz").path
                _ = try await client.download(done, to: packed)
                #expect(try await gunzip([UInt8](try Data(contentsOf: URL(fileURLWithPath: packed)))) == expected)

                let input = fixture.url.appendingPathComponent("tags.ndjson").path
                try Data("{\"name\":\"via-client-1\"}\n{\"name\":\"via-client-2\"}\n".utf8).write(to: URL(fileURLWithPath: input))
                let upload = try await client.createImport(file: input, fields: [("resource_type", "tags"), ("format", "ndjson")])
                let imported = try await client.wait(for: upload, every: .milliseconds(5)) { _ in }
                #expect(imported.status == .completed)
                #expect(imported.attribute("processed_count") == 2)
                #expect(try await client.recent(.import, limit: 5).map(\.id) == [imported.id])

                await #expect(throws: FerryClientError.self) {
                    try await client.createExport([JSONMember("resource_type", "skus"), JSONMember("filters", .object([JSONMember("colour_eq", "red")]))])
                }
                do {
                    _ = try await client.createExport([JSONMember("resource_type", "colours")])
                } catch let error as FerryClientError {
                    #expect(error.status == 422)
                    #expect(error.pointer == "/data/attributes/resource_type")
                }
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    @Test("ferry export --server and ferry jobs --server run against a live server")
    func commandLine() async throws {
        let binary = OpenAPITests.root.appendingPathComponent(".build/debug/ferry")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the ferry executable is built by swift test")
        let fixture = try await APIFixture(skus: 40)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let expected = try await ExportJobTests.directExport(fixture)
        try await fixture.withApp(workers: fixture.pool(), live: true) { test in
            let server = "http://127.0.0.1:\(try #require(test.port))"
            let output = fixture.url.appendingPathComponent("cli.json").path
            func ferry(_ arguments: [String]) async throws -> (Int32, String) {
                let (status, output) = try await runProgram(binary, arguments, environment: ["FERRY_TOKEN": token, "PATH": "/usr/bin:/bin"])
                return (status, String(decoding: output, as: UTF8.self))
            }
            let (status, text) = try await ferry(["export", "--server", server, "--type", "skus", "--include", "prices.price_tiers", "--where", "code_start=SKU-0000", "--output", output])
            #expect(status == 0, "\(text)")
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: output))) == expected)
            let (failed, message) = try await ferry(["export", "--server", server, "--type", "skus", "--where", "colour_eq=red", "--output", output])
            #expect(failed != 0)
            #expect(message.contains("422") && message.contains("colour_eq"))
            let (listed, jobs) = try await ferry(["jobs", "--server", server])
            #expect(listed == 0)
            #expect(jobs.contains("exports") && jobs.contains("completed"))
        }
    }

    @Test("ferry token prints a token the server accepts; ferry run is recorded and listed by ferry runs")
    func tokenAndRuns() async throws {
        let binary = OpenAPITests.root.appendingPathComponent(".build/debug/ferry")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the ferry executable is built by swift test")
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        func ferry(_ arguments: [String]) async throws -> (Int32, String) {
            let (status, output) = try await runProgram(binary, arguments + ["--data-dir", fixture.url.path], environment: ["PATH": "/usr/bin:/bin", "FERRY_SECRET": String(decoding: APIFixture.secret.bytes, as: UTF8.self)])
            return (status, String(decoding: output, as: UTF8.self))
        }
        let (issued, text) = try await ferry(["token", "--mode", "live", "--ttl", "10m"])
        #expect(issued == 0, "\(text)")
        let jwt = try #require(text.split(separator: "\n").last.map(String.init))
        let claims = try await fixture.services.tokens.verify(jwt)
        #expect(claims.mode == .live)
        #expect(abs(claims.exp.value.timeIntervalSinceNow - 600) < 60)

        let pipeline = fixture.url.appendingPathComponent("tags.yml")
        try "name: tags-out\nsource: {type: dataset, resource_type: tags}\nsink: {type: ndjson, path: \(fixture.url.path)/tags.ndjson}\n"
            .write(to: pipeline, atomically: true, encoding: .utf8)
        let (ran, runOutput) = try await ferry(["run", pipeline.path, "--quiet"])
        #expect(ran == 0, "\(runOutput)")
        let (listed, runs) = try await ferry(["runs", "--mode", "test"])
        #expect(listed == 0)
        #expect(runs.contains("tags-out") && runs.contains("manual") && runs.contains("completed"), "\(runs)")
    }
}
