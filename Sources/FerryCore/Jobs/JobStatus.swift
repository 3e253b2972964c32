/// The lifecycle of an export or import job (SPEC §2, §3).
public enum JobStatus: String, Hashable, Sendable, CaseIterable {
    /// Queued, waiting for a worker.
    case pending
    /// A worker is running it.
    case inProgress = "in_progress"
    /// Stopped by `_interrupt` (or, for an import, by too many refused inputs); `_start` resumes it.
    case interrupted
    /// Finished.
    case completed
    /// Stopped by an error; `_start` retries it from its last checkpoint.
    case failed

    /// Whether `_interrupt` applies.
    public var isInterruptible: Bool { self == .pending || self == .inProgress }
    /// Whether `_start` applies.
    public var isStartable: Bool { self == .interrupted || self == .failed }
}
