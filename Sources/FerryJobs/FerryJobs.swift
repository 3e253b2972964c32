/// `FerryJobs` holds export and import jobs on top of pipelines: queue, workers, lifecycle, progress, checkpoints.
///
/// The module is laid out now so that the dependency direction (CLI/API → jobs → runner →
/// stages → store) is fixed from the start; its content arrives with its issue.
public enum FerryJobs {}
