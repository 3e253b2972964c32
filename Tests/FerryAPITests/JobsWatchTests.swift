import FerryAPI
import FerryCore
import Foundation
import HummingbirdTesting
import Testing

@Suite("ferry jobs --watch", .timeLimit(.minutes(1)))
struct JobsWatchTests {
    static let binary = OpenAPITests.root.appendingPathComponent(".build/debug/ferry")
    static let escape = "\u{1B}"

    @Test("into a pipe: the local table is printed anew each interval, without control codes, until Ctrl-C (exit 0)")
    func localIntoAPipe() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "the ferry executable is built by swift test")
        let fixture = try await APIFixture(skus: 10)
        defer { fixture.remove() }
        let watcher = try RunningProgram(Self.binary, ["jobs", "--watch", "--interval", "0.1", "--data-dir", fixture.url.path], environment: ["PATH": "/usr/bin:/bin"])
        let empty = try await watcher.wait { $0.output.contains("no exports or imports yet") ? true : nil }
        #expect(empty == true, "\(watcher.output)\(watcher.errors)")
        // A job queued meanwhile (no worker runs it) shows in a later draw.
        let token = try await fixture.token()
        let id = try await fixture.withApp { client in
            try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#).json.dataID
        }
        let seen = try await watcher.wait { program in
            program.output.split(separator: "\n").contains { $0.contains(id) && $0.contains("pending") && $0.contains("skus") } ? true : nil
        }
        #expect(seen == true, "\(watcher.output)")
        let status = try await watcher.stop(SIGINT)
        #expect(status == 0)
        #expect(!watcher.output.contains(Self.escape))
        #expect(watcher.output.components(separatedBy: "ferry jobs — the test dataset —").count > 2)
    }

    @Test("on a terminal: a server's jobs are redrawn in place (cursor home, lines cleared) as they progress")
    func remoteOnATerminal() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "the ferry executable is built by swift test")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script (util-linux) gives the command a terminal")
        let fixture = try await APIFixture(skus: 10)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool(), live: true) { client in
            let server = "http://127.0.0.1:\(try #require(client.port))"
            let command = "\(Self.binary.path) jobs --watch --interval 0.1 --server \(server)"
            let watcher = try RunningProgram(URL(fileURLWithPath: "/usr/bin/script"), ["-qefc", command, "/dev/null"], environment: ["PATH": "/usr/bin:/bin", "FERRY_TOKEN": token, "TERM": "xterm"])
            let first = try await watcher.wait { $0.output.contains("no exports or imports yet") ? true : nil }
            #expect(first == true, "\(watcher.output)")
            let id = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#).json.dataID
            let done = try await watcher.wait { program in
                program.output.components(separatedBy: "\n").contains { $0.contains(id) && $0.contains("completed") && $0.contains("10/10") } ? true : nil
            }
            #expect(done == true, "\(watcher.output)")
            try await watcher.stop(SIGTERM)
            let output = watcher.output
            #expect(output.contains("\(Self.escape)[H"))
            #expect(output.contains("\(Self.escape)[K"))
            #expect(output.contains("ferry jobs — \(server) —"))
        }
    }
}
