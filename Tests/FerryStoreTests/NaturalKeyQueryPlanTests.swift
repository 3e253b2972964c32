import FerryCore
import FerryStore
import GRDB
import Testing

/// Natural-key lookups must search the natural-key index: a table scan per batch makes an import
/// quadratic (it did: 300,000 prices took 26 s instead of 7).
@Suite struct NaturalKeyQueryPlanTests {
    @Test func everyNaturalKeyLookupSearchesAnIndex() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Dataset.temporary(directory)
        try dataset.pool.read { db in
            for type in dataset.catalog.types {
                let columns = CatalogSchema.naturalKeyColumns(of: type)
                // All parts given, and (for line items) the last part missing.
                for absent in [0, columns.count > 1 ? 1 : 0] {
                    let sql = NaturalKeyResolver.sql(table: type.name, present: Array(columns.dropLast(absent)), absent: Array(columns.suffix(absent)), keys: 3)
                    let arguments = StatementArguments(Array(repeating: "x", count: 3 * (columns.count - absent)))
                    let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
                    #expect(!plan.contains { $0.hasPrefix("SCAN t") || $0 == "SCAN \(type.name)" }, "\(type.name): \(plan)")
                    #expect(plan.contains { $0.contains("SEARCH t USING") }, "\(type.name): \(plan)")
                }
            }
        }
    }
}
