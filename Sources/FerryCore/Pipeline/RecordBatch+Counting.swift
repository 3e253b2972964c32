extension RecordBatch {
    /// Reads records one at a time from `next` and hands them on in batches whose position is the
    /// count of records read so far: the resume scheme of file sources, which skip that many
    /// records when a run restarts from `position`.
    public static func emitCounted(
        from position: String?, batchSize: Int, next: () throws -> Record?, emit: (RecordBatch) async throws -> Void
    ) async throws {
        let skip = position.flatMap(Int.init) ?? 0
        var index = 0
        var batch: [Record] = []
        while let record = try next() {
            index += 1
            if index <= skip { continue }
            batch.append(record)
            if batch.count == batchSize {
                try await emit(RecordBatch(records: batch, position: String(index)))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await emit(RecordBatch(records: batch, position: String(index))) }
    }
}
