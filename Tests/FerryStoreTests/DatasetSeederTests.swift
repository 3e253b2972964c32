import FerryCore
import FerryStore
import Foundation
import GRDB
import Testing

@Suite struct DatasetSeederTests {
    func seeded(_ directory: TemporaryDirectory, skus: Int, seed: UInt64) throws -> Dataset {
        let dataset = try Dataset.temporary(directory)
        try DatasetSeeder(dataset: dataset, options: .init(skus: skus, seed: seed)).run()
        return dataset
    }

    @Test func sameSeedGivesTheSameBytes() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory(), c = try TemporaryDirectory()
        defer { a.remove(); b.remove(); c.remove() }
        for (directory, seed) in [(a, UInt64(5)), (b, 5), (c, 6)] {
            let dataset = try seeded(directory, skus: 300, seed: seed)
            try dataset.pool.close()
        }
        let bytes = try [a, b, c].map { try Data(contentsOf: $0.dataDirectory.databaseURL(for: .test)) }
        #expect(bytes[0] == bytes[1], "same seed, same file")
        #expect(bytes[0] != bytes[2], "another seed, another dataset")
    }

    @Test func everyTypeAndJoinTableHasRecordsAndNoReferenceDangles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try seeded(directory, skus: 250, seed: 1)
        for (type, count) in try dataset.recordCounts() {
            #expect(count > 0, "\(type) is empty")
        }
        for (table, count) in try dataset.joinTableCounts() {
            #expect(count > 0, "\(table) is empty")
        }
        #expect(try dataset.danglingReferences().isEmpty)
        let counts = Dictionary(uniqueKeysWithValues: try dataset.recordCounts())
        #expect(counts["skus"] == 250)
        #expect(counts["prices"] == 750)
        #expect(counts["price_tiers"] == 500)
        #expect(counts["stock_items"] == 500)
    }

    @Test func everyBelongsToRelationshipIsPopulated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try seeded(directory, skus: 100, seed: 1)
        try dataset.pool.read { db in
            for type in dataset.catalog.types {
                for relationship in type.belongsTo {
                    let linked = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(type.name)\" WHERE \"\(relationship.foreignKey!)\" IS NOT NULL") ?? 0
                    #expect(linked > 0, "\(type.name).\(relationship.name) is never set")
                }
            }
            // Each SKU has prices in every price list, stock in two locations and at least one tag.
            let unpriced = try Int.fetchOne(db, sql: "SELECT count(*) FROM skus WHERE (SELECT count(DISTINCT price_list_id) FROM prices WHERE sku_id = skus.id) < 3")
            let unstocked = try Int.fetchOne(db, sql: "SELECT count(*) FROM skus WHERE (SELECT count(*) FROM stock_items WHERE sku_id = skus.id) < 2")
            let untagged = try Int.fetchOne(db, sql: "SELECT count(*) FROM skus WHERE NOT EXISTS (SELECT 1 FROM skus_tags WHERE sku_id = skus.id)")
            let empty = try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE NOT EXISTS (SELECT 1 FROM line_items WHERE order_id = orders.id)")
            #expect([unpriced, unstocked, untagged, empty] == [0, 0, 0, 0])
        }
    }

    @Test func naturalKeysAreUniqueAndIndexed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try seeded(directory, skus: 50, seed: 2)
        try dataset.pool.read { db in
            for index in dataset.schema.indexes {
                let exists = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [index.name])
                #expect(exists == true, "index \(index.name) is missing after seeding")
            }
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
        }
    }

    @Test func refusesANonEmptyDataset() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try seeded(directory, skus: 10, seed: 1)
        #expect(throws: StoreError.self) { try DatasetSeeder(dataset: dataset, options: .init(skus: 10)).run() }
    }

    @Test func modesAreSeparateFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try seeded(directory, skus: 10, seed: 1)
        let live = try Dataset.temporary(directory, mode: .live)
        #expect(try live.isEmpty())
        #expect(live.url != directory.dataDirectory.databaseURL(for: .test))
    }
}
