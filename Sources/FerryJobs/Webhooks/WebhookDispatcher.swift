import AsyncHTTPClient
import Crypto
import FerryCore
import FerryStages
import FerryStore
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Delivers queued webhook events (``WebhookQueue``): a POST of the JSON:API document of the job
/// to the webhook's URL, signed with HMAC-SHA256 of the body under the webhook's shared secret
/// (base64 in `X-CommerceLayer-Signature`, as Commerce Layer signs, and `sha256=<hex>` in
/// `X-Ferry-Signature`), retried with exponential backoff on 5xx, 429, timeouts and connection
/// errors. The outcome is recorded on the delivery and on the webhook (last response code, last
/// delivery, failures). Deliveries are claimed under a lease like jobs, so one a dead process was
/// sending is sent again by the next.
public struct WebhookDispatcher: Service {
    /// How deliveries are made.
    public struct Settings: Sendable {
        /// Attempts per delivery, the first included.
        public var maxAttempts: Int
        /// The wait before the first retry; it doubles each time.
        public var initialBackoff: Duration
        /// How long one request may take.
        public var timeout: Duration
        /// How often an idle dispatcher looks for deliveries.
        public var pollInterval: Duration
        /// Deliveries sent at once.
        public var concurrency: Int

        /// Creates settings.
        public init(maxAttempts: Int = 6, initialBackoff: Duration = .seconds(1), timeout: Duration = .seconds(10), pollInterval: Duration = .milliseconds(250), concurrency: Int = 4) {
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.timeout = timeout
            self.pollInterval = pollInterval
            self.concurrency = max(1, concurrency)
        }
    }

    /// The signature header Commerce Layer clients check.
    public static let signatureHeader = "X-CommerceLayer-Signature"

    private let environment: StageEnvironment
    private let settings: Settings
    private let identity: WorkerIdentity
    private let logger: Logger

    /// Creates a dispatcher.
    public init(environment: StageEnvironment, settings: Settings = Settings(), identity: WorkerIdentity = .current(), logger: Logger = Logger(label: "ferry.webhooks")) {
        self.environment = environment
        self.settings = settings
        self.identity = identity
        self.logger = logger
    }

    /// The HMAC-SHA256 of a body under a secret.
    public static func mac(of body: [UInt8], secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    /// Runs until cancelled or shut down.
    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for worker in 0..<settings.concurrency {
                    group.addTask { await work(worker, client: client) }
                }
            }
        }
        try await client.shutdown()
    }

    private func work(_ worker: Int, client: HTTPClient) async {
        var claims = 0
        while !Task.isCancelled {
            claims += 1
            let owner = "\(identity)-hook\(worker).\(claims)"
            var sent = false
            for mode in DatasetMode.allCases {
                do {
                    let dataset = try environment.dataset(mode)
                    guard let (_, delivery) = try dataset.claimJob(
                        JobTypes.webhookDeliveries, owner: owner, leaseSeconds: 120, runningLimit: Int.max) else { continue }
                    await deliver(delivery, dataset: dataset, client: client, owner: owner)
                    sent = true
                    break
                } catch {
                    logger.error("could not claim a webhook delivery in \(mode.rawValue): \(error)")
                }
            }
            if !sent {
                do { try await Task.sleep(for: settings.pollInterval) } catch { return }
            }
        }
    }

    /// Sends one delivery with retries and records the outcome.
    private func deliver(_ delivery: JobRow, dataset: Dataset, client: HTTPClient, owner: String) async {
        let type = JobTypes.webhookDeliveries
        guard let hookID = delivery.record["webhook_id"]?.stringValue,
              let hook = try? dataset.job(JobTypes.webhooks, id: hookID),
              let url = hook.record["callback_url"]?.stringValue
        else {
            _ = try? dataset.updateJob(type, id: delivery.id, set: ["status": .string(JobStatus.failed.rawValue), "last_error": "the webhook no longer exists"], by: .worker(owner: owner), lease: (nil, nil))
            return
        }
        let secret = hook.record["shared_secret"]?.stringValue ?? ""
        let topic = delivery.record["topic"]?.stringValue ?? ""
        var writer = JSONWriter(capacity: 1024)
        writer.write(delivery.record["payload"]?.jsonValue ?? .null)
        let body = writer.bytes
        let mac = Self.mac(of: body, secret: secret)
        var backoff = settings.initialBackoff
        var attempts = Int(delivery.record["attempts"]?.intValue ?? 0)
        var lastCode: Int?
        var lastError: String?
        while attempts < settings.maxAttempts {
            attempts += 1
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/vnd.api+json")
            request.headers.add(name: Self.signatureHeader, value: Data(mac).base64EncodedString())
            request.headers.add(name: "X-Ferry-Signature", value: "sha256=" + Hex.encode(mac))
            request.headers.add(name: "X-Ferry-Topic", value: topic)
            request.body = .bytes(ByteBuffer(bytes: body))
            var retry = false
            do {
                let response = try await client.execute(request, timeout: .nanoseconds(Int64(settings.timeout.components.seconds) * 1_000_000_000 + settings.timeout.components.attoseconds / 1_000_000_000))
                lastCode = Int(response.status.code)
                lastError = nil
                if (200..<300).contains(response.status.code) {
                    finish(delivery, hook: hook, dataset: dataset, owner: owner, attempts: attempts, code: lastCode, error: nil)
                    return
                }
                retry = response.status.code >= 500 || response.status.code == 429
                lastError = "answered \(response.status.code)"
            } catch {
                if Task.isCancelled { return }  // shut down: the lease lapses and the delivery is sent again
                retry = true
                lastError = String(describing: error)
            }
            _ = try? dataset.updateJob(type, id: delivery.id, set: ["attempts": .int(Int64(attempts))], by: .worker(owner: owner),
                                       lease: (owner, Date().timeIntervalSince1970 + 120))
            guard retry, attempts < settings.maxAttempts else { break }
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff *= 2
        }
        logger.warning("webhook \(hookID) (\(topic)) failed after \(attempts) attempts: \(lastError ?? "")")
        finish(delivery, hook: hook, dataset: dataset, owner: owner, attempts: attempts, code: lastCode, error: lastError ?? "failed")
    }

    private func finish(_ delivery: JobRow, hook: JobRow, dataset: Dataset, owner: String, attempts: Int, code: Int?, error: String?) {
        let status: JobStatus = error == nil ? .completed : .failed
        var changes: [String: Value] = [
            "status": .string(status.rawValue), "attempts": .int(Int64(attempts)), "completed_at": .timestamp(.now),
            "last_response_code": code.map { .int(Int64($0)) } ?? .null, "last_error": error.map(Value.string) ?? .null,
        ]
        _ = try? dataset.updateJob(JobTypes.webhookDeliveries, id: delivery.id, set: changes, by: .worker(owner: owner), lease: (nil, nil))
        changes = ["last_response_code": code.map { .int(Int64($0)) } ?? .null]
        if error == nil {
            changes["last_delivered_at"] = .timestamp(.now)
        } else {
            changes["failures_count"] = .int((hook.record["failures_count"]?.intValue ?? 0) + 1)
        }
        _ = try? dataset.updateJob(JobTypes.webhooks, id: hook.id, set: changes, by: .caller(statuses: nil))
    }
}
