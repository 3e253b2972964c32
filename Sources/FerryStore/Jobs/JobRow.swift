import FerryCore
import Foundation

/// One stored job: its public attributes (as the API shows them) and the private state the
/// workers keep beside them.
public struct JobRow: Sendable {
    /// The job's kind.
    public var kind: JobKind
    /// The public attributes, in the job type's stored-column order.
    public var record: Record
    /// Where the job stands, as stored (JSON); nil before the first committed batch. It is decoded
    /// only when asked for (`checkpoint`): the API reads jobs far more often than workers resume
    /// them, and never shows it.
    public var checkpointJSON: String?
    /// The worker holding the job while it runs (`host:pid:nonce`).
    public var leaseOwner: String?
    /// When that worker's hold lapses unless renewed (seconds since 1970).
    public var leaseExpiresAt: Double?
    /// What the job needs but the API does not show: the caller's market scope, where its inputs
    /// are stored, who created it.
    public var details: JSONValue

    /// Where the job stands, to resume from; nil before the first committed batch (or when the
    /// stored checkpoint cannot be read, which makes the job start over).
    public var checkpoint: Checkpoint? {
        checkpointJSON.flatMap { try? JSONDecoder().decode(Checkpoint.self, from: Data($0.utf8)) }
    }

    /// The job's id.
    public var id: String { record.id ?? "" }

    /// The job's status.
    public var status: JobStatus { record["status"]?.stringValue.flatMap(JobStatus.init(rawValue:)) ?? .pending }

    /// A detail by name.
    public func detail(_ name: String) -> JSONValue? { details[name] }
}
