import FerryCore
import FerryStore
import GRDB
import Testing

/// A market scope keeps exactly what the market may see, computed here the long way for comparison.
@Suite struct MarketScopeTests {
    @Test func scopesFollowTheMarketsPriceListsLocationsAndOrders() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Dataset.temporary(directory)
        try DatasetSeeder(dataset: dataset, options: .init(skus: 60, seed: 1)).run()
        let catalog = dataset.catalog
        let europe = try dataset.pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM markets WHERE code = 'europe'")! }
        func scoped(_ type: String) throws -> Set<String> {
            Set(try dataset.ids(RecordQuery(type: catalog.type(named: type), marketIDs: [europe])))
        }
        func all(_ sql: String) throws -> Set<String> {
            Set(try dataset.pool.read { db in try String.fetchAll(db, sql: sql, arguments: [europe]) })
        }
        #expect(try scoped("markets") == [europe])
        #expect(try scoped("prices") == all("SELECT p.id FROM prices p JOIN markets m ON m.price_list_id = p.price_list_id WHERE m.id = ?"))
        #expect(try scoped("orders") == all("SELECT id FROM orders WHERE market_id = ?"))
        #expect(try scoped("line_items") == all("SELECT li.id FROM line_items li JOIN orders o ON o.id = li.order_id WHERE o.market_id = ?"))
        #expect(try scoped("stock_items") == all("""
            SELECT si.id FROM stock_items si JOIN inventory_stock_locations isl ON isl.stock_location_id = si.stock_location_id
            JOIN markets m ON m.inventory_model_id = isl.inventory_model_id WHERE m.id = ?
            """))
        #expect(try scoped("skus") == all("SELECT DISTINCT p.sku_id FROM prices p JOIN markets m ON m.price_list_id = p.price_list_id WHERE m.id = ?"))
        #expect(try scoped("tags").count == 20, "unscoped types are fully visible")
        #expect(try !scoped("prices").isEmpty)
        #expect(try dataset.ids(RecordQuery(type: catalog.type(named: "prices"), marketIDs: [])).isEmpty, "no market, no scoped record")
    }
}
