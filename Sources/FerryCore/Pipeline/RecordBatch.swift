/// A batch of records moving through a pipeline, with the source position after its last record.
public struct RecordBatch: Sendable {
    /// The records, in order.
    public var records: [Record]
    /// Where the source resumes after this batch (a keyset cursor, a byte offset), if it can.
    public var position: String?
    /// How many records the source has read up to and including this batch.
    public var sourceCount: Int
    /// The record stages' states right after they processed this batch, by stage index; the
    /// runner fills it in, because stages run ahead of the sink and their current state may
    /// already include later batches.
    public var stageStates: [String: String] = [:]
    /// What a ``PreparingSinkStage`` made of the records; once set, ``records`` is emptied (the
    /// records are released by the task that prepared them) and ``count`` keeps their number.
    public var prepared: (any Sendable)?
    /// The number of records in the batch, prepared or not.
    public var count: Int { prepared == nil ? records.count : preparedCount }
    private var preparedCount = 0

    /// Replaces the records by what a sink prepared of them.
    public mutating func setPrepared(_ prepared: any Sendable) {
        preparedCount = records.count
        self.prepared = prepared
        records = []
    }

    /// Creates a batch.
    public init(records: [Record], position: String? = nil, sourceCount: Int = 0) {
        self.records = records
        self.position = position
        self.sourceCount = sourceCount
    }
}
