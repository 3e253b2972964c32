import FerryCore
import FerryStore

/// Source `dataset`: the records of one type of a dataset, selected by a filter (compiled to SQL)
/// and optionally a market scope, read in keyset pages ordered by id.
public struct DatasetSource: SourceStage {
    /// The dataset read.
    public let dataset: Dataset
    /// The selection.
    public let query: RecordQuery

    /// Creates a source.
    public init(dataset: Dataset, query: RecordQuery) {
        self.dataset = dataset
        self.query = query
    }

    public var resourceType: ResourceType? { query.type }
    public var shape: RecordShape? { query.type.exportShape }

    public func estimatedCount() async throws -> Int? {
        try dataset.count(query)
    }

    public func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        var cursor = position
        while true {
            try Task.checkCancellation()
            let page = try dataset.fetchPage(query, after: cursor, limit: batchSize)
            guard let last = page.last?.id else { return }
            cursor = last
            try await emit(RecordBatch(records: page.map(query.type.exportRecord(fromStored:)), position: last))
            if page.count < batchSize { return }
        }
    }
}
