import FerryCore
import FerryTestSupport
import Foundation
import Testing
import Webhook

/// A local HTTP server in Python that answers by path and logs what it receives, checking each
/// signature with Python's own `hmac` module (an implementation independent of Ferry's).
final class TestServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL

    init(secret: String) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-webhook-\(UUID().uuidString).log")
        let script = """
            import hmac, hashlib, json, sys
            from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
            secret, log = sys.argv[1].encode(), sys.argv[2]
            seen = {}
            class Handler(BaseHTTPRequestHandler):
                def log_message(self, *args): pass
                def do_POST(self):
                    body = self.rfile.read(int(self.headers['Content-Length']))
                    expected = 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()
                    seen[self.path] = seen.get(self.path, 0) + 1
                    with open(log, 'a') as f:
                        f.write(json.dumps({'path': self.path, 'valid': self.headers['X-Ferry-Signature'] == expected,
                                            'batch': self.headers['X-Ferry-Batch'], 'records': len(json.loads(body)['records'])}) + '\\n')
                    status = {'/ok': 200, '/down': 503, '/bad': 400}.get(self.path, 200)
                    if self.path == '/flaky': status = 500 if seen[self.path] % 3 else 200
                    self.send_response(status); self.send_header('Content-Length', '0'); self.end_headers()
            server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, secret, log.path]
        let pipe = Pipe.closedOnExec()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice  // the server must not hold the test runner's output open
        try process.run()
        var line = Data()
        while !line.contains(10) { line.append(pipe.fileHandleForReading.availableData) }
        port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Stops the server and waits for it to exit.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }

    var requests: [JSONValue] {
        (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) } ?? []
    }
}

@Suite(.serialized) struct WebhookPluginTests {
    func run(_ server: TestServer, path: String, records: Int = 25, attempts: Int = 4) async throws -> (SinkSummary, String) {
        let deadLetter = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-dead-\(UUID().uuidString).ndjson").path
        let sink = WebhookSink(settings: .init(
            url: "http://127.0.0.1:\(server.port)\(path)", secret: "s3cret", maxAttempts: attempts, initialBackoff: .milliseconds(5),
            deadLetterPath: deadLetter))
        let result = try await PipelineRunner().run(Pipeline(name: "t", source: NumberedSource(total: records), sink: sink, batchSize: 10))
        return (result.sink, deadLetter)
    }

    @Test func sha256AndHMACMatchTheStandardVectors() {
        #expect(SHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(SHA256.hash(long)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // RFC 4231, test case 2.
        #expect(SHA256.hex(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func deliversSignedBatches() async throws {
        let server = try TestServer(secret: "s3cret")
        defer { server.stop() }
        let (summary, _) = try await run(server, path: "/ok")
        #expect(summary.counters["delivered_batches"] == 3 && summary.recordsWritten == 25)
        let requests = server.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0["valid"] == .bool(true) }, "every signature verifies with Python's hmac")
        #expect(requests.map { $0["batch"] } == ["1", "2", "3"])
    }

    @Test func retriesServerErrorsWithBackoff() async throws {
        let server = try TestServer(secret: "s3cret")
        defer { server.stop() }
        let (summary, _) = try await run(server, path: "/flaky", records: 10)
        #expect(summary.counters["delivered_batches"] == 1 && summary.counters["failed_batches"] == 0)
        #expect(server.requests.count == 3, "two 500s, then the third attempt succeeds")
    }

    @Test func undeliverableBatchesGoToTheDeadLetterFile() async throws {
        let server = try TestServer(secret: "s3cret")
        defer { server.stop() }
        let (summary, deadLetter) = try await run(server, path: "/down", records: 15, attempts: 3)
        defer { try? FileManager.default.removeItem(atPath: deadLetter) }
        #expect(summary.counters["failed_batches"] == 2 && summary.counters["delivered_batches"] == 0)
        #expect(server.requests.count == 6, "three attempts for each of two batches")
        let lines = try String(contentsOfFile: deadLetter, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONParser.parse(String(lines[0]))
        #expect(first["error"] == "HTTP 503" && first["body"]?["batch"] == .int(1))
        // A client error is not retried.
        let (bad, badLetter) = try await run(server, path: "/bad", records: 5)
        defer { try? FileManager.default.removeItem(atPath: badLetter) }
        #expect(bad.counters["failed_batches"] == 1)
        #expect(server.requests.filter { $0["path"] == "/bad" }.count == 1)
    }

    @Test func configurationIsValidated() throws {
        let registry = StageRegistry()
        try WebhookPlugin.register(into: registry)
        let context = StageBuildContext(catalog: .commerce)
        #expect(throws: StageConfigurationError.self) {
            _ = try registry.build(StageSpec(type: "webhook", options: ["type": "webhook", "url": "ftp://x"], location: "t"), expecting: .sink, context: context)
        }
        #expect(throws: StageConfigurationError.self) {
            _ = try registry.build(StageSpec(type: "webhook", options: ["type": "webhook", "url": "http://127.0.0.1:1/"], location: "t"), expecting: .sink, context: context)
        }
    }
}
