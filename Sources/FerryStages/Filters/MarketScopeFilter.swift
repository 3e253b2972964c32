import FerryCore
import FerryStore
import GRDB

/// Filter `market-scope`: keeps the records the given markets may see (SPEC §8), with one query
/// per batch that checks the batch's ids against the type's market-scope rule. Market codes are
/// resolved once, when the first batch arrives, so validation needs no data.
public actor MarketScopeFilter: RecordStage {
    /// The dataset the rule is evaluated in.
    public let dataset: Dataset
    /// The type filtered.
    public let type: ResourceType
    /// The markets' codes, resolved to ids when the first batch arrives.
    public let marketCodes: [String]
    private var scope: SQLFragment?

    /// Creates the stage.
    public init(dataset: Dataset, type: ResourceType, marketCodes: [String]) {
        self.dataset = dataset
        self.type = type
        self.marketCodes = marketCodes
    }

    /// The ids of markets given by code.
    public static func marketIDs(codes: [String], in dataset: Dataset) throws -> [String] {
        try dataset.pool.read { db in
            let marks = Array(repeating: "?", count: codes.count).joined(separator: ", ")
            let found = try Row.fetchAll(db, sql: "SELECT id, code FROM markets WHERE code IN (\(marks))", arguments: StatementArguments(codes))
            let known = Set(found.map { $0["code"] as String })
            if let missing = codes.first(where: { !known.contains($0) }) {
                throw FormatError.invalidOption("no market with code '\(missing)' in the \(dataset.mode) dataset")
            }
            return found.map { $0["id"] }
        }
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        let ids = records.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let scope = try self.scope ?? MarketScopeSQL(catalog: dataset.catalog).condition(
            for: type, marketIDs: Self.marketIDs(codes: marketCodes, in: dataset))
        self.scope = scope
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let visible = try await dataset.pool.read { db in
            Set(try String.fetchAll(
                db, sql: "SELECT id FROM \"\(type.name)\" WHERE id IN (\(marks)) AND \(scope.sql)",
                arguments: StatementArguments(ids) + scope.statementArguments))
        }
        return records.filter { $0.id.map(visible.contains) ?? false }
    }
}
