import FerryCore
import FerryStages
import FerryStore

extension AccessToken {
    /// The codes of the markets the token's scope names, with `market:id:` entries looked up in
    /// the token's dataset. An id this mode does not have is 403.
    func marketCodes(in dataset: Dataset) throws -> [String] {
        let ids = marketIDs
        guard !ids.isEmpty, let markets = dataset.catalog["markets"] else { return marketCodes }
        let filter = try Filter([(key: "id_in", value: .array(ids.map(JSONValue.string)))], for: markets, in: dataset.catalog)
        let found = try dataset.fetchPage(RecordQuery(type: markets, filter: filter), after: nil, limit: ids.count)
        if let missing = ids.first(where: { id in !found.contains { $0.id == id } }) {
            throw APIError.forbidden("the token's market scope names market id '\(missing)', which this mode does not have")
        }
        return marketCodes + found.compactMap { $0["code"]?.stringValue }
    }

    /// The ids of the markets a `sales_channel` token may see records of; nil for an
    /// `integration` token, which sees everything of its mode.
    func visibleMarketIDs(in dataset: Dataset) throws -> [String]? {
        guard kind == .salesChannel else { return nil }
        do {
            return try MarketScopeFilter.marketIDs(codes: marketCodes(in: dataset), in: dataset)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.forbidden("the token's market scope cannot be applied: \(error)")
        }
    }
}
