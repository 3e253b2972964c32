import FerryAPI
import FerryCore
import FerryStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Resource endpoints", .timeLimit(.minutes(1)))
struct ResourceEndpointTests {
    @Test("filters, sorting, sparse fieldsets and pagination")
    func listing() async throws {
        let fixture = try await APIFixture(skus: 60)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let page = try await client.call(.get, "/api/skus?filter[q][code_start]=SKU-00001&sort=-code&fields[skus]=code,name&page[size]=4", token: token).json
            #expect(page["meta"]?["record_count"] == 10)
            #expect(page["meta"]?["page_count"] == 3)
            let codes = items(page).map { $0["attributes"]?["code"]?.stringValue ?? "" }
            #expect(codes == ["SKU-000019", "SKU-000018", "SKU-000017", "SKU-000016"])
            #expect(items(page)[0]["attributes"]?.objectMembers?.map(\.key) == ["code", "name"])
            #expect(page["links"]?["next"]?.stringValue?.hasPrefix("http://localhost/api/skus?") == true)
            #expect(page["included"] == nil)

            // The same answers as the dataset gives for the filter language.
            let dataset = try fixture.dataset()
            let prices = ResourceCatalog.commerce["prices"]!
            let filter = try Filter([(key: "amount_cents_gt", value: "5000"), (key: "currency_code_eq", value: "EUR")], for: prices, in: .commerce)
            let expected = try dataset.count(RecordQuery(type: prices, filter: filter))
            let answer = try await client.call(.get, "/api/prices?filter[q][amount_cents_gt]=5000&filter[q][currency_code_eq]=EUR", token: token).json
            #expect(answer["meta"]?["record_count"] == .int(Int64(expected)))

            let bad = try await client.call(.get, "/api/skus?filter[q][colour_eq]=red", token: token)
            #expect(bad.status == .badRequest)
            #expect(try await client.call(.get, "/api/skus?sort=metadata", token: token).status == .badRequest)
            #expect(try await client.call(.get, "/api/skus?include=warehouses", token: token).status == .badRequest)
            let unknown = try await client.call(.get, "/api/colours", token: token)
            #expect(unknown.status == .notFound)
            #expect(unknown.json.error("detail")?.stringValue?.contains("colours") == true)
        }
    }

    @Test("include= puts related records in included, once each, loaded per relationship per page")
    func includes() async throws {
        let fixture = try await APIFixture(skus: 30)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let dataset = try fixture.dataset()
        try await fixture.withApp { client in
            dataset.queryCounter.isEnabled = true
            let before = dataset.queryCounter.value
            let page = try await client.call(.get, "/api/skus?page[size]=25&include=prices.price_tiers,shipping_category,tags", token: token).json
            let queries = dataset.queryCounter.value - before
            dataset.queryCounter.isEnabled = false
            // count + page + one per relationship (prices, price_tiers, shipping_category, tags), whatever the page size.
            #expect(queries <= 8)
            let skus = items(page)
            #expect(skus.count == 25)
            let included = items(page, "included")
            let keys = included.map { "\($0["type"]?.stringValue ?? "")/\($0["id"]?.stringValue ?? "")" }
            #expect(Set(keys).count == keys.count)
            let priceIDs = skus.flatMap { sku -> [String] in
                guard case .array(let data)? = sku["relationships"]?["prices"]?["data"] else { return [] }
                return data.compactMap { $0["id"]?.stringValue }
            }
            #expect(!priceIDs.isEmpty)
            #expect(priceIDs.allSatisfy { keys.contains("prices/\($0)") })
            #expect(included.contains { $0["type"] == "price_tiers" })
            #expect(included.contains { $0["type"] == "shipping_categories" })
            // A belongs-to that was not included still names its record.
            let price = try #require(included.first { $0["type"] == "prices" })
            #expect(price["relationships"]?["price_list"]?["data"]?["type"] == "price_lists")

            let one = try await client.call(.get, "/api/skus/\(skus[0]["id"]!.stringValue!)?include=prices", token: token).json
            #expect(one["data"]?["type"] == "skus")
            #expect(!items(one, "included").isEmpty)
        }
    }

    @Test("a token sees its mode only, and a sales channel its markets only")
    func isolation() async throws {
        let fixture = try await APIFixture(skus: 30, seedLive: true)
        defer { fixture.remove() }
        let test = try await fixture.token(.test)
        let live = try await fixture.token(.live)
        let dataset = try fixture.dataset()
        let market = try dataset.fetchPage(RecordQuery(type: ResourceCatalog.commerce["markets"]!), after: nil, limit: 1)[0]
        let prices = ResourceCatalog.commerce["prices"]!
        let scoped = try dataset.count(RecordQuery(type: prices, marketIDs: [market.id!]))
        let all = try dataset.count(RecordQuery(type: prices))
        let channel = try await fixture.token(kind: .salesChannel, scope: "market:code:\(market["code"]!.stringValue!)")
        try await fixture.withApp { client in
            let sku = items(try await client.call(.get, "/api/skus", token: test).json)[0]
            let id = try #require(sku["id"]?.stringValue)
            let other = try await client.call(.get, "/api/skus/\(id)", token: live)
            #expect(other.status == .notFound)
            #expect(other.json["data"] == nil)
            #expect(try await client.call(.get, "/api/skus/\(id)", token: test).status == .ok)

            let everything = try await client.call(.get, "/api/prices", token: test).json
            #expect(everything["meta"]?["record_count"] == .int(Int64(all)))
            let visible = try await client.call(.get, "/api/prices", token: channel).json
            #expect(visible["meta"]?["record_count"] == .int(Int64(scoped)))
            #expect(scoped < all)
            let hidden = try dataset.fetchPage(RecordQuery(type: prices), after: nil, limit: all)
                .first { price in !(try dataset.ids(RecordQuery(type: prices, marketIDs: [market.id!]))).contains(price.id!) }
            let hiddenID = try #require(hidden?.id)
            #expect(try await client.call(.get, "/api/prices/\(hiddenID)", token: channel).status == .notFound)
        }
    }

    @Test("what an import wrote is what the resource endpoint shows")
    func importThenRead() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let created = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[{"name":"from-http"}]}}}"#)
            _ = try await client.poll("/api/imports/\(created.json.dataID)", token: token) { $0.attribute("status") == "completed" }
            let tags = try await client.call(.get, "/api/tags?filter[q][name_eq]=from-http", token: token).json
            #expect(items(tags).count == 1)
            #expect(items(tags).first?["attributes"]?["name"] == "from-http")
        }
    }
}
