import FerryCore
import FerryStore

/// Source `dataset`: the records of one type of a dataset, selected by a filter (compiled to SQL)
/// and optionally a market scope, read in keyset pages ordered by id.
///
/// Market codes are resolved when the source first reads, not when it is built, so a pipeline
/// validates against the catalog alone, whatever the dataset holds.
public struct DatasetSource: SourceStage {
    /// The dataset read.
    public let dataset: Dataset
    /// The selection, without the market scope.
    public let query: RecordQuery
    /// Market codes whose scope applies, if any.
    public let marketCodes: [String]?

    /// Creates a source.
    public init(dataset: Dataset, query: RecordQuery, marketCodes: [String]? = nil) {
        self.dataset = dataset
        self.query = query
        self.marketCodes = marketCodes
    }

    private func scopedQuery() throws -> RecordQuery {
        guard let marketCodes else { return query }
        var scoped = query
        scoped.marketIDs = try MarketScopeFilter.marketIDs(codes: marketCodes, in: dataset)
        return scoped
    }

    public var resourceType: ResourceType? { query.type }
    public var shape: RecordShape? { query.type.exportShape }

    public func estimatedCount() async throws -> Int? {
        try dataset.count(scopedQuery())
    }

    public func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        let query = try scopedQuery()
        var cursor = position
        while true {
            try Task.checkCancellation()
            let page = try dataset.fetchPage(query, after: cursor, limit: batchSize, form: .exported)
            guard let last = page.last?.id else { return }
            cursor = last
            try await emit(RecordBatch(records: page, position: last))
            if page.count < batchSize { return }
        }
    }
}
