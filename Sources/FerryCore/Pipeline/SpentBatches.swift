import Synchronization

/// Batches a pipeline's sink has written, handed to another task to be freed.
///
/// Freeing a batch (every record, value and prepared input of it) takes measurable time, and
/// the sink's task is usually a pipeline's slowest: the runner's sink loop hands each written
/// batch here, and the stages' task frees what was handed before it takes its next batch.
final class SpentBatches: Sendable {
    private let batches = Mutex<[RecordBatch]>([])

    /// Hands a written batch over.
    func hand(_ batch: RecordBatch) {
        batches.withLock { $0.append(batch) }
    }

    /// Frees the batches handed over so far, on the calling task.
    func free() {
        // Swapped out under the lock, released here, outside it.
        let taken = batches.withLock { batches -> [RecordBatch] in
            let taken = batches
            batches = []
            return taken
        }
        _ = taken
    }
}
