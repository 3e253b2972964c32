import Crypto
import FerryAPI
import FerryCore
import FerryJobs
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOPosix
import NIOCore
import Synchronization
import Testing

/// A local HTTP server that records what webhooks deliver and fails the first `failures` requests.
final class HookReceiver: Sendable {
    struct Delivery: Sendable {
        var body: [UInt8]
        var signature: String?
        var topic: String?
    }

    private let state = Mutex<(received: [Delivery], attempts: Int, port: Int?)>(([], 0, nil))
    let failures: Int

    init(failures: Int) { self.failures = failures }

    var received: [Delivery] { state.withLock { $0.received } }
    var attempts: Int { state.withLock { $0.attempts } }
    var port: Int? { state.withLock { $0.port } }

    /// The receivers' event loop.
    static let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
            let signature = request.headers[HTTPField.Name("X-CommerceLayer-Signature")!]
            let topic = request.headers[HTTPField.Name("X-Ferry-Topic")!]
            return self.state.withLock { (state: inout (received: [Delivery], attempts: Int, port: Int?)) -> HTTPResponse.Status in
                state.attempts += 1
                guard state.attempts > self.failures else { return .serviceUnavailable }
                state.received.append(Delivery(body: body, signature: signature, topic: topic))
                return .noContent
            }
        }
        var logger = Logger(label: "hook-receiver")
        logger.logLevel = .critical
        // Its own event loop: the shared one also carries every in-process server of the suite.
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.state.withLock { $0.port = channel.localAddress?.port } },
            eventLoopGroupProvider: .shared(Self.loop), logger: logger)
    }
}

@Suite("Webhooks", .timeLimit(.minutes(1)))
struct WebhookTests {
    @Test("a subscribed topic is delivered, signed, retried after failures, and recorded on the webhook")
    func delivery() async throws {
        let fixture = try await APIFixture(skus: 20)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let receiver = HookReceiver(failures: 2)
        var logger = Logger(label: "ferry.tests.webhooks")
        logger.logLevel = .critical
        let dispatcher = WebhookDispatcher(
            environment: fixture.environment, settings: .init(initialBackoff: .milliseconds(10), pollInterval: .milliseconds(5), concurrency: 1), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receiver.application().runService() }
            group.addTask { try await dispatcher.run() }
            let deadline = ContinuousClock.now + .seconds(20)
            while receiver.port == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
            let port = try #require(receiver.port)
            try await fixture.withApp(workers: fixture.pool()) { client in
                let bad = try await client.call(.post, "/api/webhooks", token: token, body: #"{"data":{"type":"webhooks","attributes":{"topic":"exports.explode","callback_url":"http://127.0.0.1/hook"}}}"#)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.json.error("source")?["pointer"] == "/data/attributes/topic")
                let badURL = try await client.call(.post, "/api/webhooks", token: token, body: #"{"data":{"type":"webhooks","attributes":{"topic":"exports.complete","callback_url":"ftp://x"}}}"#)
                #expect(badURL.status == .unprocessableContent)

                let created = try await client.call(.post, "/api/webhooks", token: token, body: #"{"data":{"type":"webhooks","attributes":{"name":"done","topic":"exports.complete","callback_url":"http://127.0.0.1:\#(port)/hook"}}}"#)
                #expect(created.status == .created)
                let hookID = created.json.dataID
                #expect(created.json.attribute("shared_secret")?.stringValue?.count == 64)
                let id = try await client.call(.post, "/api/exports", token: token, body: ExportJobTests.createBody).json.dataID
                _ = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
                let hook = try await client.poll("/api/webhooks/\(hookID)", token: token) { $0.attribute("last_response_code") == 204 }
                #expect(hook.attribute("last_delivered_at")?.stringValue != nil)
                #expect(hook.attribute("failures_count") == 0)
            }
            #expect(receiver.attempts == 3)
            let delivery = try #require(receiver.received.first)
            #expect(receiver.received.count == 1)
            #expect(delivery.topic == "exports.complete")
            let json = try JSONParser.parse(delivery.body)
            #expect(json["data"]?["type"] == "exports")
            #expect(json["data"]?["attributes"]?["status"] == "completed")
            let hooks = try fixture.dataset().jobs(JobTypes.webhooks, offset: 0, limit: 1).records
            let secret = try #require(hooks.first?["shared_secret"]?.stringValue)
            let expected = Data(HMAC<SHA256>.authenticationCode(for: delivery.body, using: SymmetricKey(data: Array(secret.utf8)))).base64EncodedString()
            #expect(delivery.signature == expected)
            let deliveries = try fixture.dataset().jobs(JobTypes.webhookDeliveries, offset: 0, limit: 10).records
            #expect(deliveries.count == 1)
            #expect(deliveries.first?["status"] == "completed")
            #expect(deliveries.first?["attempts"] == 3)
            group.cancelAll()
        }
    }

    @Test("a delivery that keeps failing is recorded as failed, with the failure counted on the webhook")
    func failing() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let token = try await fixture.token()
        var logger = Logger(label: "ferry.tests.webhooks")
        logger.logLevel = .critical
        let dispatcher = WebhookDispatcher(
            environment: fixture.environment, settings: .init(maxAttempts: 3, initialBackoff: .milliseconds(5), timeout: .milliseconds(200), pollInterval: .milliseconds(5), concurrency: 1), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await dispatcher.run() }
            try await fixture.withApp { client in
                // Nothing listens on port 9 of loopback: every attempt fails (the client retries the
                // connection until the request times out).
                let created = try await client.call(.post, "/api/webhooks", token: token, body: #"{"data":{"type":"webhooks","attributes":{"topic":"exports.create","callback_url":"http://127.0.0.1:9/hook"}}}"#)
                let hookID = created.json.dataID
                try await client.call(.post, "/api/exports", token: token, body: ExportJobTests.createBody)
                let hook = try await client.poll("/api/webhooks/\(hookID)", token: token) { $0.attribute("failures_count") == 1 }
                #expect(hook.attribute("last_delivered_at") == .null)
                let updated = try await client.call(.patch, "/api/webhooks/\(hookID)", token: token, body: #"{"data":{"type":"webhooks","attributes":{"topic":"imports.complete"}}}"#)
                #expect(updated.json.attribute("topic") == "imports.complete")
                #expect(try await client.call(.delete, "/api/webhooks/\(hookID)", token: token).status == .noContent)
            }
            let deliveries = try fixture.dataset().jobs(JobTypes.webhookDeliveries, offset: 0, limit: 10).records
            #expect(deliveries.first?["status"] == "failed")
            #expect(deliveries.first?["attempts"] == 3)
            group.cancelAll()
        }
    }
}
