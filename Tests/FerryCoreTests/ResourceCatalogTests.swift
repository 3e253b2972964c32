import Testing
@testable import FerryCore

@Suite struct ResourceCatalogTests {
    let catalog = ResourceCatalog.commerce

    @Test func holdsTheMinimumCatalog() {
        let minimum = [
            "markets", "price_lists", "prices", "price_tiers", "skus", "shipping_categories", "stock_locations",
            "stock_items", "tax_categories", "sku_lists", "sku_list_items", "bundles", "customer_groups", "customers",
            "addresses", "customer_addresses", "orders", "line_items", "coupons", "gift_cards", "tags",
        ]
        for name in minimum { #expect(catalog[name] != nil, "missing \(name)") }
    }

    /// The types Commerce Layer's CLI can export and import: `EXPORT_RESOURCE_TYPES` and
    /// `IMPORT_RESOURCE_TYPES` of `commercelayer-cli-core` (`src/config.ts`, release 5.11.2).
    static let cliExportTypes = [
        "addresses", "authorizations", "bundles", "captures", "coupons", "customer_addresses", "customer_payment_sources",
        "customer_subscriptions", "customers", "gift_cards", "line_items", "line_item_options", "orders", "payment_methods",
        "price_tiers", "prices", "refunds", "returns", "shipments", "shipping_categories", "shipping_methods", "sku_lists",
        "sku_list_items", "sku_options", "skus", "stock_items", "stock_transfers", "tags", "tax_categories", "transactions", "voids",
    ]
    static let cliImportTypes = [
        "addresses", "bundles", "coupons", "customer_addresses", "customer_payment_sources", "customer_subscriptions", "customers",
        "gift_cards", "line_items", "line_item_options", "orders", "price_tiers", "prices", "shipping_categories", "sku_lists",
        "sku_list_items", "sku_options", "skus", "stock_items", "stock_transfers", "tags", "tax_categories",
    ]

    @Test func holdsEveryTypeTheCommerceLayerCLIExportsOrImports() {
        #expect(Self.cliExportTypes.count == 31)
        for name in Self.cliExportTypes + Self.cliImportTypes {
            #expect(catalog[name] != nil, "missing \(name)")
        }
    }

    @Test func naturalKeysFollowTheSpec() throws {
        func key(_ type: String) throws -> NaturalKey { try catalog.type(named: type).naturalKey }
        #expect(try key("skus") == .attributes("code"))
        #expect(try key("prices") == .parts([.relationship("sku"), .relationship("price_list")]))
        #expect(try key("stock_items") == .parts([.relationship("sku"), .relationship("stock_location")]))
        #expect(try key("customers") == .attributes("email"))
        #expect(try key("orders") == .attributes("number"))
        #expect(try key("sku_lists") == .attributes("slug"))
        #expect(try key("tags") == .attributes("name"))
        #expect(try key("price_tiers") == .parts([.relationship("price"), .attribute("name")]))
        #expect(try key("sku_list_items") == .parts([.relationship("sku_list"), .relationship("sku")]))
        #expect(try key("line_items") == .parts([.relationship("order"), .relationship("sku"), .relationship("bundle")]))
        #expect(try key("addresses") == .contentHash)
        for code in ["coupons", "gift_cards", "markets", "price_lists", "shipping_categories", "stock_locations",
                     "customer_groups", "tax_categories", "bundles"] {
            #expect(try key(code) == .attributes("code"), "\(code)")
        }
    }

    @Test func dependencyOrderPutsTargetsFirst() throws {
        let order = try catalog.dependencyOrder().map(\.name)
        #expect(order.count == catalog.types.count)
        for type in catalog.types {
            for dependency in type.dependencies {
                let a = try #require(order.firstIndex(of: dependency))
                let b = try #require(order.firstIndex(of: type.name))
                #expect(a < b, "\(dependency) must come before \(type.name)")
            }
        }
    }

    @Test func unexportableAndComputedFieldsAreMarked() throws {
        let markets = try catalog.type(named: "markets")
        #expect(markets.exportableAttributes.contains { $0.name == "shared_secret" } == false)
        let prices = try catalog.type(named: "prices")
        #expect(prices.attribute(named: "amount_float")?.isStored == false)
        #expect(prices.attribute(named: "formatted_amount")?.isInput == false)
        #expect(prices.attribute(named: "amount_cents")?.isInput == true)
        #expect(prices.attribute(named: "created_at")?.isInput == false)
        #expect(prices.relationship(named: "sku")?.foreignKey == "sku_id")
    }

    @Test(.enabled(if: ReferenceSchema.isAvailable, "../shared/reference is not beside the checkout"))
    func namesMatchTheReferenceSchema() throws {
        // Every attribute Ferry models for a type (other than its own additions) is a field of the
        // public schema, and every relationship a relationship of it.
        let ferryOnly: Set<String> = ["content_hash", "inventory_stock_locations", "on_hold", "priority"]
        // Types the reference file leaves out; their names come from Commerce Layer's SDK.
        let unreferenced: Set<String> = [
            "inventory_stock_locations", "payment_methods", "shipping_methods", "customer_payment_sources", "customer_subscriptions",
            "shipments", "stock_transfers", "transactions", "authorizations", "captures", "voids", "refunds", "returns",
        ]
        for type in catalog.types where unreferenced.contains(type.name) {
            #expect(ReferenceSchema.fields[type.singular] == nil, "\(type.name) is in the reference schema: check it there")
        }
        for type in catalog.types where !unreferenced.contains(type.name) {
            let fields = ReferenceSchema.fields[type.singular] ?? []
            #expect(!fields.isEmpty, "no reference fields for \(type.singular)")
            for attribute in type.attributes where !ferryOnly.contains(attribute.name) {
                #expect(fields.contains(attribute.name), "\(type.name).\(attribute.name) is not in the reference schema")
            }
        }
    }

    @Test func refusesBrokenDefinitions() {
        let orphan = ResourceType("things", singular: "thing", naturalKey: .attributes("code"),
                                  attributes: [.string("code")], relationships: [.belongsTo("owner", "owners")])
        #expect(throws: CatalogError.self) { try ResourceCatalog([orphan]) }
        let a = ResourceType("as", singular: "a", naturalKey: .attributes("id"), attributes: [], relationships: [.belongsTo("b", "bs")])
        let b = ResourceType("bs", singular: "b", naturalKey: .attributes("id"), attributes: [], relationships: [.belongsTo("a", "as")])
        #expect(throws: CatalogError.self) { try ResourceCatalog([a, b]) }
    }

    @Test func contentHashIgnoresStandardAndBlankFields() throws {
        let addresses = try catalog.type(named: "addresses")
        let a = Record(["line_1": "Via Roma 1", "city": "Milan", "reference": "x", "notes": ""])
        let b = Record(["line_1": "Via Roma 1", "city": "Milan", "reference": "y"])
        let c = Record(["line_1": "Via Roma 2", "city": "Milan"])
        #expect(addresses.contentHash(of: a) == addresses.contentHash(of: b))
        #expect(addresses.contentHash(of: a) != addresses.contentHash(of: c))
        #expect(addresses.contentHash(of: a).count == 32)
    }
}
