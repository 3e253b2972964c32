import FerryCore
import FerryStore
import Foundation
import GRDB
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

/// A dataset made by an earlier catalog is brought up to the current one when it is opened.
@Suite("Catalog upgrades")
struct CatalogUpgradeTests {
    /// The catalog of an earlier version: categories without `code`, SKUs without `weight`,
    /// their category or tags, keyed by `code` alone.
    static let earlier = try! ResourceCatalog([
        ResourceType("shipping_categories", singular: "shipping_category", naturalKey: .attributes("name"), attributes: [.string("name", .required)]),
        ResourceType("skus", singular: "sku", naturalKey: .attributes("code"), attributes: [.string("code", .required)]),
    ])

    /// The current one: a type, attributes, a belongs-to, a join table and a wider natural key added.
    static let current = try! ResourceCatalog([
        ResourceType("shipping_categories", singular: "shipping_category", naturalKey: .attributes("name"),
                     attributes: [.string("name", .required), .string("code", .required)]),
        ResourceType("tags", singular: "tag", naturalKey: .attributes("name"), attributes: [.string("name", .required)]),
        ResourceType("skus", singular: "sku", naturalKey: .attributes("code", "weight"),
                     attributes: [.string("code", .required), .float("weight")],
                     relationships: [
                        .belongsTo("shipping_category", "shipping_categories"),
                        .manyToMany("tags", "tags", owner: "skus", ownerSingular: "sku", targetSingular: "tag"),
                     ]),
    ])

    func withFile(_ body: (URL) throws -> Void) rethrows {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-upgrade-\(UUID().uuidString).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm", ".migrate-lock"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
        }
        try body(url)
    }

    @Test("types, columns, join tables and indexes added later reach an old dataset, keeping its records")
    func anOldDatasetGetsWhatTheCatalogAdded() throws {
        try withFile { url in
            let old = try Dataset(mode: .test, url: url, catalog: Self.earlier)
            try RecordImporter(dataset: old, type: Self.earlier.type(named: "skus")).importBatch([Record(["code": "SKU-1"])])
            try old.pool.close()

            let dataset = try Dataset(mode: .test, url: url, catalog: Self.current)
            try dataset.pool.read { db in
                #expect(try db.tableExists("tags") && db.tableExists("skus_tags"))
                #expect(try db.columns(in: "skus").map(\.name).contains("shipping_category_id"))
                #expect(try db.columns(in: "shipping_categories").map(\.name).contains("code"))
                for index in dataset.schema.indexes {
                    let found = try db.indexes(on: index.table).first { $0.name == index.name }
                    #expect(found?.columns == index.columns && found?.isUnique == index.isUnique, "\(index.name)")
                }
            }
            // The new attribute, relationship and type take records; the old record is still there.
            let skus = try Self.current.type(named: "skus")
            let importer = RecordImporter(dataset: dataset, type: skus)
            try importer.importBatch([
                Record(["code": "SKU-1", "weight": 1.5, "shipping_category": .record(Record(["name": "Standard", "code": "std"])),
                        "tags": .records([Record(["name": "eco"])])]),
            ])
            try importer.finish()
            #expect(importer.report.errors == 0, "\(importer.report.errorsLogJSON.jsonText)")
            let rows = try dataset.fetchPage(RecordQuery(type: skus), after: nil, limit: 10)
            #expect(rows.map { $0["code"] } == ["SKU-1", "SKU-1"], "the old record is kept; the new key tells them apart")
            #expect(rows.compactMap { $0["weight"]?.doubleValue } == [1.5])
            #expect(Dictionary(uniqueKeysWithValues: try dataset.joinTableCounts())["skus_tags"] == 1)
        }
    }

    @Test("a job attribute added later reaches the job tables of an old dataset")
    func jobTablesGetMissingColumns() throws {
        try withFile { url in
            // A dataset from before `exports.progress` existed: the column is taken away again.
            let old = try Dataset(mode: .test, url: url, catalog: Self.earlier)
            try old.pool.write { db in try db.execute(sql: "ALTER TABLE exports DROP COLUMN progress") }
            try old.pool.close()
            let dataset = try Dataset(mode: .test, url: url, catalog: Self.earlier)
            let columns = try dataset.pool.read { db in try db.columns(in: "exports").map(\.name) }
            #expect(columns.contains("progress"))
        }
    }

    @Test("opening an upgraded dataset again changes nothing; an earlier catalog drops nothing")
    func upgradingIsIdempotent() throws {
        try withFile { url in
            try Dataset(mode: .test, url: url, catalog: Self.earlier).pool.close()
            try Dataset(mode: .test, url: url, catalog: Self.current).pool.close()
            func schema(_ kind: String = "%") throws -> [String] {
                try DatabaseQueue(path: url.path).read { db in
                    try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master WHERE type LIKE ? ORDER BY name", arguments: [kind])
                }
            }
            let upgraded = try schema(), tables = try schema("table")
            let dataset = try Dataset(mode: .test, url: url, catalog: Self.current)
            #expect(try schema() == upgraded)
            // Even opened again under the earlier catalog, no table or column is dropped.
            try dataset.pool.close()
            try Dataset(mode: .test, url: url, catalog: Self.earlier).pool.close()
            #expect(try schema("table") == tables)
        }
    }

    @Test("a natural key the records already break is refused with a typed error, not SQL")
    func aConflictingNewKeyIsRefused() throws {
        try withFile { url in
            let wide = try ResourceCatalog([
                ResourceType("skus", singular: "sku", naturalKey: .attributes("code", "name"), attributes: [.string("code", .required), .string("name")]),
            ])
            let narrow = try ResourceCatalog([
                ResourceType("skus", singular: "sku", naturalKey: .attributes("code"), attributes: [.string("code", .required), .string("name")]),
            ])
            let old = try Dataset(mode: .test, url: url, catalog: wide)
            try RecordImporter(dataset: old, type: wide.type(named: "skus")).importBatch([Record(["code": "A", "name": "x"]), Record(["code": "A", "name": "y"])])
            try old.pool.close()
            #expect(throws: StoreError.conflictingKeys(table: "skus", columns: ["code"])) {
                _ = try Dataset(mode: .test, url: url, catalog: narrow)
            }
        }
    }
}
