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

    /// Every job type.
    public static let all: [ResourceType] = [exports, imports, pipelineRuns]
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
