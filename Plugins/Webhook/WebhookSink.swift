import AsyncHTTPClient
import FerryCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sink `webhook`: POSTs each batch as JSON to a URL, signed with HMAC-SHA256 of the body under a
/// shared secret (header `X-Ferry-Signature: sha256=<hex>`), retried with exponential backoff on
/// 5xx, 429, timeouts and connection errors. A batch that still fails goes, with the reason, to a
/// dead-letter file (one JSON line per batch) and the run goes on; the summary counts delivered
/// and failed batches.
///
/// Body: `{"batch": <n, from 1>, "records": [...]}`; headers also carry `X-Ferry-Batch`.
public actor WebhookSink: SinkStage {
    /// How a webhook sink behaves.
    public struct Settings: Sendable {
        /// Where batches go.
        public var url: String
        /// The shared secret the body is signed with.
        public var secret: String
        /// Attempts per batch, the first included.
        public var maxAttempts: Int
        /// The wait before the first retry; it doubles with each retry.
        public var initialBackoff: Duration
        /// How long one request may take.
        public var timeout: Duration
        /// Where batches that could not be delivered are written.
        public var deadLetterPath: String

        /// Creates settings.
        public init(url: String, secret: String, maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(200), timeout: Duration = .seconds(10), deadLetterPath: String) {
            self.url = url
            self.secret = secret
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.timeout = timeout
            self.deadLetterPath = deadLetterPath
        }
    }

    /// The signature header's name.
    public static let signatureHeader = "X-Ferry-Signature"

    let settings: Settings
    private var client: HTTPClient?
    private var batch = 0
    private var delivered = 0
    private var failed = 0
    private var recordsDelivered = 0

    /// Creates the sink.
    public init(settings: Settings) {
        self.settings = settings
    }

    public func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {
        client = HTTPClient(eventLoopGroupProvider: .singleton)
        batch = Int(state?["batch"] ?? "") ?? 0
        delivered = Int(state?["delivered"] ?? "") ?? 0
        failed = Int(state?["failed"] ?? "") ?? 0
        recordsDelivered = Int(state?["records"] ?? "") ?? 0
    }

    public func write(_ records: [Record]) async throws {
        guard let client else { return }
        batch += 1
        var writer = JSONWriter(capacity: 4096)
        writer.writeRaw(#"{"batch":"#.utf8)
        writer.writeInt(Int64(batch))
        writer.writeRaw(#","records":"#.utf8)
        writer.writeArray(records) { $0.write($1) }
        writer.bytes.append(125)
        let body = writer.bytes
        let signature = "sha256=" + SHA256.hex(SHA256.hmac(key: Array(settings.secret.utf8), message: body))
        var backoff = settings.initialBackoff
        var lastError = ""
        for attempt in 1...settings.maxAttempts {
            try Task.checkCancellation()
            var request = HTTPClientRequest(url: settings.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: Self.signatureHeader, value: signature)
            request.headers.add(name: "X-Ferry-Batch", value: String(batch))
            request.body = .bytes(ByteBuffer(bytes: body))
            var retryable = true
            do {
                let (seconds, attoseconds) = settings.timeout.components
                let response = try await client.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    delivered += 1
                    recordsDelivered += records.count
                    return
                }
                lastError = "HTTP \(status)"
                retryable = status >= 500 || status == 429
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastError = "\(error)"
            }
            guard retryable, attempt < settings.maxAttempts else { break }
            try await Task.sleep(for: backoff)  // exponential backoff between attempts
            backoff *= 2
        }
        failed += 1
        try deadLetter(body: body, reason: lastError)
    }

    private func deadLetter(body: [UInt8], reason: String) throws {
        var line = JSONWriter(capacity: body.count + 128)
        line.writeRaw(#"{"batch":"#.utf8)
        line.writeInt(Int64(batch))
        line.writeRaw(#","url":"#.utf8)
        line.writeString(settings.url)
        line.writeRaw(#","error":"#.utf8)
        line.writeString(reason)
        line.writeRaw(#","body":"#.utf8)
        line.writeRaw(body)
        line.writeRaw("}\n".utf8)
        let url = URL(fileURLWithPath: settings.deadLetterPath)
        if !FileManager.default.fileExists(atPath: url.path) {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line.bytes)
    }

    public func commit() async throws -> [String: String]? {
        ["batch": String(batch), "delivered": String(delivered), "failed": String(failed), "records": String(recordsDelivered)]
    }

    public func close() async throws -> SinkSummary {
        try await client?.shutdown()
        client = nil
        return SinkSummary(
            recordsWritten: recordsDelivered, destination: settings.url,
            counters: ["delivered_batches": delivered, "failed_batches": failed],
            details: failed > 0 ? ["dead_letter": .string(settings.deadLetterPath)] : [:])
    }

    public func abort() async {
        try? await client?.shutdown()
        client = nil
    }
}

/// Registers the webhook plugin's sink.
public enum WebhookPlugin {
    /// Registers `webhook`.
    public static func register(into registry: StageRegistry) throws {
        try registry.register(StageDescriptor(
            name: "webhook", kind: .sink, summary: "POSTs batches as signed JSON to a URL, with retries and a dead-letter file.",
            options: [
                StageOption("url", .string, required: true, help: "Where batches are POSTed."),
                StageOption("secret", .string, help: "The shared secret bodies are signed with."),
                StageOption("secret_env", .string, help: "An environment variable holding the secret (instead of 'secret')."),
                StageOption("max_attempts", .integer, default: "5", help: "Attempts per batch."),
                StageOption("backoff_ms", .integer, default: "200", help: "Milliseconds before the first retry (doubling)."),
                StageOption("timeout", .integer, default: "10", help: "Seconds one request may take."),
                StageOption("dead_letter", .string, default: "webhook-dead-letter.ndjson", help: "Where undelivered batches are written."),
            ]
        ) { options, _ in
            let url = try options.requiredString("url")
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw options.error("url", "must be an http or https URL") }
            var secret = options.string("secret")
            if let name = options.string("secret_env") { secret = ProcessInfo.processInfo.environment[name] }
            guard let secret, !secret.isEmpty else { throw options.error("secret", "give 'secret' or 'secret_env' (a non-empty shared secret)") }
            return .sink(WebhookSink(settings: .init(
                url: url, secret: secret, maxAttempts: options.int("max_attempts") ?? 5,
                initialBackoff: .milliseconds(options.int("backoff_ms") ?? 200), timeout: .seconds(options.int("timeout") ?? 10),
                deadLetterPath: options.string("dead_letter") ?? "webhook-dead-letter.ndjson")))
        })
    }
}
