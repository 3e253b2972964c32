import FerryCore
import FerryStore

/// Queues a delivery for every webhook of a dataset subscribed to a topic; the
/// ``WebhookDispatcher`` claims and sends them like jobs.
public struct WebhookQueue: Sendable {
    /// The dataset holding the webhooks and their deliveries.
    public let dataset: Dataset

    /// Creates a queue over a dataset.
    public init(dataset: Dataset) {
        self.dataset = dataset
    }

    /// The topics webhooks may subscribe to: `<exports|imports>.<event>`.
    public static let topics: [String] = JobKind.allCases.flatMap { kind in JobEventLog.Event.allCases.map { "\(kind.rawValue).\($0.rawValue)" } }

    /// Queues `record` (a job of `kind`) for the webhooks subscribed to `topic`.
    public func enqueue(topic: String, kind: JobKind, record: Record) throws {
        let filter = try Filter([(key: "topic_eq", value: .string(topic))], for: JobTypes.webhooks, in: .jobs)
        let hooks = try dataset.jobs(JobTypes.webhooks, filter: filter, offset: 0, limit: 1000).records
        guard !hooks.isEmpty else { return }
        // The body a subscriber receives: the job as a JSON:API resource, as the API shows it.
        var attributes = record.jsonValue.objectMembers ?? []
        attributes.removeAll { $0.key == "id" }
        let payload = JSONValue.object([JSONMember("data", .object([
            JSONMember("id", .string(record.id ?? "")), JSONMember("type", .string(kind.rawValue)),
            JSONMember("attributes", .object(attributes)),
        ]))])
        for hook in hooks {
            var delivery = Record()
            delivery.append("webhook_id", .string(hook.id ?? ""))
            delivery.append("topic", .string(topic))
            delivery.append("payload", .json(payload))
            delivery.append("attempts", 0)
            _ = try dataset.insertJob(JobTypes.webhookDeliveries, attributes: delivery)
        }
    }
}
