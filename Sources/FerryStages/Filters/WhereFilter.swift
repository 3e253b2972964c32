import FerryCore

/// Filter `where`: keeps the records that satisfy a filter of the predicate language, evaluated in
/// memory with the same semantics as the SQL compiler. Attributes through relationships are read
/// from included records (`sku.code`) or from dry data's reference fields (`sku_code`).
public struct WhereFilter: RecordStage {
    /// The filter.
    public let filter: Filter

    /// Creates the stage.
    public init(filter: Filter) {
        self.filter = filter
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        records.filter(filter.matches)
    }
}

/// Filter `limit`: passes the first `count` records and drops the rest; its count survives a resume.
public actor LimitFilter: RecordStage {
    /// How many records pass.
    public let count: Int
    private var passed = 0

    /// Creates the stage.
    public init(count: Int) {
        self.count = count
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        let room = max(0, count - passed)
        let kept = Array(records.prefix(room))
        passed += kept.count
        return kept
    }

    public func checkpointState() async -> String? { String(passed) }

    public func restore(_ state: String) async throws {
        passed = Int(state) ?? 0
    }
}
