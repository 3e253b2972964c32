/// The job resources the service exposes beside the commerce catalog: `exports` (SPEC §2),
/// `imports` (SPEC §3) and `pipeline_runs`.
///
/// They are ordinary ``ResourceType``s so that the filter language, sorting, sparse fieldsets and
/// the OpenAPI document treat them exactly as they treat commerce resources.
public enum JobTypes {
    /// `exports`: one export job.
    public static let exports = ResourceType(
        "exports", singular: "export", naturalKey: .attributes("id"),
        attributes: [
            .string("resource_type", [.required, .queryable]), .string("format", .queryable),
            .string("status", [.required, .queryable]), .array("includes"), .array("fields"), .object("filters"),
            .boolean("dry_data", .queryable), .boolean("jwt_filters", .queryable),
            .datetime("started_at", .queryable), .datetime("completed_at", .queryable),
            .datetime("interrupted_at", .queryable), .datetime("estimated_completion_at", .queryable),
            .integer("records_count", .queryable), .integer("processed_count", .queryable), .float("progress", .queryable),
            .object("errors_log", .filterable),
        ])

    /// `imports`: one import job.
    public static let imports = ResourceType(
        "imports", singular: "import", naturalKey: .attributes("id"),
        attributes: [
            .string("resource_type", [.required, .queryable]), .string("format", .queryable),
            .string("parent_resource_id", .queryable), .string("status", [.required, .queryable]),
            .datetime("started_at", .queryable), .datetime("completed_at", .queryable),
            .datetime("interrupted_at", .queryable), .datetime("estimated_completion_at", .queryable),
            .integer("inputs_size", .queryable), .integer("processed_count", .queryable), .float("progress", .queryable),
            .integer("errors_count", .queryable), .integer("warnings_count", .queryable),
            .integer("destroyed_count", .queryable), .object("errors_log", .filterable), .object("warnings_log", .filterable),
            .boolean("cleanup_records", .queryable), .boolean("skip_errors", .queryable),
            // Ferry's own: how `processed_count` splits (created + updated + unchanged).
            .integer("created_count", .queryable), .integer("updated_count", .queryable), .integer("unchanged_count", .queryable),
        ])

    /// `pipeline_runs`: one run of a scheduled (or manually started) pipeline file.
    public static let pipelineRuns = ResourceType(
        "pipeline_runs", singular: "pipeline_run", naturalKey: .attributes("id"),
        attributes: [
            .string("pipeline", [.required, .queryable]), .string("file", .queryable),
            .string("trigger", .queryable), .string("status", [.required, .queryable]),
            .datetime("scheduled_at", .queryable), .datetime("started_at", .queryable), .datetime("completed_at", .queryable),
            .integer("records_in", .queryable), .integer("records_out", .queryable), .object("counters"),
            .string("error", .filterable),
        ])

    /// `versions`: one change to an export or import — the attributes changed, before and after,
    /// and who changed them (a token's subject, or `worker` for lifecycle transitions).
    public static let versions = ResourceType(
        "versions", singular: "version", naturalKey: .attributes("id"),
        attributes: [
            .string("item_type", [.required, .queryable]), .string("item_id", [.required, .queryable]),
            .string("event", [.required, .queryable]), .object("changes"), .object("who"),
        ])

    /// `events`: a lifecycle event fired by an export or import (`create`, `start`, `complete`,
    /// `interrupt`, `fail`, `destroy`); webhooks subscribe to them as `exports.complete`.
    public static let events = ResourceType(
        "events", singular: "event", naturalKey: .attributes("id"),
        attributes: [
            .string("name", [.required, .queryable]), .string("resource_type", [.required, .queryable]),
            .string("resource_id", [.required, .queryable]),
        ])

    /// `event_stores`: the event log — each event with the job as it was then and who caused it.
    public static let eventStores = ResourceType(
        "event_stores", singular: "event_store", naturalKey: .attributes("id"),
        attributes: [
            .string("resource_type", [.required, .queryable]), .string("resource_id", [.required, .queryable]),
            .string("event", [.required, .queryable]), .object("payload"), .object("who"),
        ])

    /// `webhooks`: a subscription of a URL to a topic (`exports.complete`, `imports.interrupt`, …);
    /// deliveries are signed with its shared secret and recorded on it.
    public static let webhooks = ResourceType(
        "webhooks", singular: "webhook", naturalKey: .attributes("id"),
        attributes: [
            .string("name", .queryable), .string("topic", [.required, .queryable]), .string("callback_url", [.required, .queryable]),
            .string("shared_secret"), .integer("last_response_code", .queryable), .datetime("last_delivered_at", .queryable),
            .integer("failures_count", .queryable),
        ])

    /// `webhook_deliveries`: one event to deliver to one webhook, queued and retried like a job.
    public static let webhookDeliveries = ResourceType(
        "webhook_deliveries", singular: "webhook_delivery", naturalKey: .attributes("id"),
        attributes: [
            .string("webhook_id", [.required, .queryable]), .string("topic", [.required, .queryable]),
            .string("status", [.required, .queryable]), .object("payload"), .integer("attempts", .queryable),
            .integer("last_response_code", .queryable), .string("last_error"), .datetime("started_at", .queryable),
            .datetime("completed_at", .queryable),
        ])

    /// The types the first job-table migration made.
    public static let queues: [ResourceType] = [exports, imports, pipelineRuns]

    /// The change log types, made by the second job-table migration.
    public static let logs: [ResourceType] = [versions, events, eventStores]

    /// Webhooks and their delivery queue, made by the third job-table migration.
    public static let hooks: [ResourceType] = [webhooks, webhookDeliveries]

    /// Every job type.
    public static let all: [ResourceType] = queues + logs + hooks
}

extension ResourceCatalog {
    /// The job resources (``JobTypes``) as a catalog of their own: their tables live beside the
    /// commerce tables in each mode's dataset, but they are never exported, imported or duplicated.
    public static let jobs: ResourceCatalog = {
        do {
            return try ResourceCatalog(JobTypes.all)
        } catch {
            fatalError("the job catalog is invalid: \(error)")
        }
    }()
}
