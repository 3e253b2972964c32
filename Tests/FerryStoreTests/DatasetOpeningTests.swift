import FerryCore
import FerryStore
import Foundation
import Testing

@Suite("Opening datasets")
struct DatasetOpeningTests {
    @Test("many openers of one new file at once all get a migrated dataset")
    func concurrentMigrations() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-open-\(UUID().uuidString).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm", ".migrate-lock"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
        }
        let opened = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try Dataset(mode: .test, url: url).recordCounts().count }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(opened == Array(repeating: ResourceCatalog.commerce.types.count, count: 8))
    }
}

@Suite("List totals")
struct ListTotalTests {
    /// A list page counts its query once, then reuses the total until a commit — by this dataset's
    /// writer or by another connection to the file, as another process would make.
    @Test func aTotalIsCountedOnceUntilTheNextCommit() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-totals-\(UUID().uuidString).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm", ".migrate-lock"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
        }
        let dataset = try Dataset(mode: .test, url: url)
        let categories = try dataset.catalog.type(named: "shipping_categories")
        func insert(_ dataset: Dataset, _ code: String) throws {
            try dataset.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO shipping_categories (id, code, name, created_at, updated_at) VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                    arguments: [code, code, code])
            }
        }
        func page() throws -> (total: Int, queries: Int) {
            let before = dataset.queryCounter.value
            let total = try dataset.page(RecordQuery(type: categories), offset: 0, limit: 10).total
            return (total, dataset.queryCounter.value - before)
        }
        #expect(try page().total == 0)  // opens the read connection (which runs queries of its own)
        dataset.queryCounter.isEnabled = true
        try insert(dataset, "a")
        #expect(try page() == (1, 2), "count and page")
        #expect(try page() == (1, 1), "the page only: the total is known")
        try insert(dataset, "b")
        #expect(try page() == (2, 2), "this dataset's own commit is seen")
        let other = try Dataset(mode: .test, url: url)
        try insert(other, "c")
        #expect(try page() == (3, 2), "another connection's commit is seen")
        #expect(try page() == (3, 1))
    }
}
