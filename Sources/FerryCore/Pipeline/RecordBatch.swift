/// A batch of records moving through a pipeline, with the source position after its last record.
public struct RecordBatch: Sendable {
    /// The records, in order.
    public var records: [Record]
    /// Where the source resumes after this batch (a keyset cursor, a byte offset), if it can.
    public var position: String?
    /// How many records the source has read up to and including this batch.
    public var sourceCount: Int

    /// Creates a batch.
    public init(records: [Record], position: String? = nil, sourceCount: Int = 0) {
        self.records = records
        self.position = position
        self.sourceCount = sourceCount
    }
}
