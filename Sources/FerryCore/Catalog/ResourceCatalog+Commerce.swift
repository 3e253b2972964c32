extension ResourceCatalog {
    /// The built-in catalog: the Commerce Layer resources Ferry models (SPEC §1), with field and
    /// relationship names from the public resource schema.
    public static let commerce: ResourceCatalog = {
        do {
            return try ResourceCatalog(CommerceTypes.all)
        } catch {
            fatalError("the built-in catalog is invalid: \(error)")
        }
    }()
}

/// The declarations behind ``ResourceCatalog/commerce``, one per type.
enum CommerceTypes {
    static let all: [ResourceType] = [
        tags, addresses, inventoryModels, customerGroups, priceLists, markets, inventoryStockLocations,
        shippingCategories, stockLocations, skus, prices, priceTiers, stockItems, taxCategories, customers,
        customerAddresses, skuLists, skuListItems, bundles, orders, lineItems, coupons, giftCards,
    ] + fulfilment

    /// The `tags` many-to-many relationship of a taggable type.
    static func tags(of owner: String, _ singular: String) -> Relationship {
        .manyToMany("tags", "tags", owner: owner, ownerSingular: singular, targetSingular: "tag")
    }

    static let tags = ResourceType(
        "tags", singular: "tag", naturalKey: .attributes("name"),
        attributes: [.string("name", [.required, .queryable])])

    static let addresses = ResourceType(
        "addresses", singular: "address", naturalKey: .contentHash,
        attributes: [
            .boolean("business"), .string("first_name", .queryable), .string("last_name", .queryable),
            .string("company", .queryable), .string("line_1", [.required, .queryable]), .string("line_2"),
            .string("city", [.required, .queryable]), .string("zip_code", .queryable),
            .string("state_code", .queryable), .string("country_code", [.required, .queryable]),
            .string("phone", [.required, .queryable]), .string("email", .queryable), .string("notes"),
            .float("lat"), .float("lng"), .string("billing_info", .queryable),
        ],
        relationships: [tags(of: "addresses", "address")])

    static let inventoryModels = ResourceType(
        "inventory_models", singular: "inventory_model", naturalKey: .attributes("name"),
        marketScope: .referencedByMarket(column: "inventory_model_id"),
        attributes: [
            .string("name", [.required, .queryable]), .string("strategy", .queryable),
            .integer("stock_locations_cutoff"), .integer("stock_reservation_cutoff"),
            .boolean("put_stock_transfers_on_hold"), .boolean("manual_stock_decrement"),
        ],
        relationships: [.hasMany("inventory_stock_locations", "inventory_stock_locations", inverse: "inventory_model")])

    static let customerGroups = ResourceType(
        "customer_groups", singular: "customer_group", naturalKey: .attributes("code"),
        marketScope: .referencedByMarket(column: "customer_group_id"),
        attributes: [.string("name", [.required, .queryable]), .string("code", .queryable)],
        relationships: [
            .hasMany("customers", "customers", inverse: "customer_group"),
            .hasMany("markets", "markets", inverse: "customer_group"),
        ])

    static let priceLists = ResourceType(
        "price_lists", singular: "price_list", naturalKey: .attributes("code"),
        marketScope: .referencedByMarket(column: "price_list_id"),
        attributes: [
            .string("name", [.required, .queryable]), .string("code", .queryable),
            .string("currency_code", [.required, .queryable]), .boolean("tax_included", .queryable),
            .object("rules"),
        ],
        relationships: [.hasMany("prices", "prices", inverse: "price_list")])

    static let markets = ResourceType(
        "markets", singular: "market", naturalKey: .attributes("code"), marketScope: .market,
        attributes: [
            .string("name", [.required, .queryable]), .string("code", .queryable), .string("facebook_pixel_id"),
            .string("checkout_url"), .string("external_prices_url"), .string("external_order_validation_url"),
            .integer("shipping_cost_cutoff"), .datetime("disabled_at", .queryable),
            .string("shared_secret", [.unexportable], origin: .server),
        ],
        relationships: [
            .belongsTo("price_list", "price_lists", required: true), .belongsTo("customer_group", "customer_groups"),
            .belongsTo("inventory_model", "inventory_models"),
        ])

    static let inventoryStockLocations = ResourceType(
        "inventory_stock_locations", singular: "inventory_stock_location",
        naturalKey: .parts([.relationship("inventory_model"), .relationship("stock_location")]),
        marketScope: .through(relationship: "inventory_model"),
        attributes: [.integer("priority", [.required, .queryable]), .boolean("on_hold", .queryable)],
        relationships: [
            .belongsTo("inventory_model", "inventory_models", required: true),
            .belongsTo("stock_location", "stock_locations", required: true),
        ])

    static let shippingCategories = ResourceType(
        "shipping_categories", singular: "shipping_category", naturalKey: .attributes("code"),
        attributes: [.string("name", [.required, .queryable]), .string("code", .queryable)],
        relationships: [.hasMany("skus", "skus", inverse: "shipping_category")])

    static let stockLocations = ResourceType(
        "stock_locations", singular: "stock_location", naturalKey: .attributes("code"),
        marketScope: .throughAny(relationship: "inventory_stock_locations"),
        attributes: [
            .string("name", [.required, .queryable]), .string("code", .queryable), .string("label_format"),
            .boolean("suppress_etd"),
        ],
        relationships: [
            .belongsTo("address", "addresses"),
            .hasMany("stock_items", "stock_items", inverse: "stock_location"),
            .hasMany("inventory_stock_locations", "inventory_stock_locations", inverse: "stock_location"),
        ])

    static let skus = ResourceType(
        "skus", singular: "sku", naturalKey: .attributes("code"), marketScope: .throughAny(relationship: "prices"),
        attributes: [
            .string("code", [.required, .queryable]), .string("name", [.required, .queryable]),
            .string("description", .queryable), .string("image_url"), .integer("pieces_per_pack", .queryable),
            .float("weight", .queryable), .string("unit_of_weight"), .string("hs_tariff_number", .queryable),
            .boolean("do_not_ship", .queryable), .boolean("do_not_track", .queryable),
            .object("jwt_custom_claim", [.unexportable]),
        ],
        relationships: [
            .belongsTo("shipping_category", "shipping_categories"),
            .hasMany("prices", "prices", inverse: "sku"),
            .hasMany("stock_items", "stock_items", inverse: "sku"),
            .hasMany("sku_list_items", "sku_list_items", inverse: "sku"),
            tags(of: "skus", "sku"),
        ])

    static let prices = ResourceType(
        "prices", singular: "price", naturalKey: .parts([.relationship("sku"), .relationship("price_list")]),
        marketScope: .through(relationship: "price_list"),
        attributes: [
            .string("currency_code", .queryable), .integer("amount_cents", [.required, .queryable]),
            .centsFloat("amount_float", from: "amount_cents"), .formatted("formatted_amount", from: "amount_cents"),
            .integer("compare_at_amount_cents", .queryable),
            .centsFloat("compare_at_amount_float", from: "compare_at_amount_cents"),
            .formatted("formatted_compare_at_amount", from: "compare_at_amount_cents"),
            .object("rules"), .datetime("processed_at", [.unexportable], origin: .server),
        ],
        relationships: [
            .belongsTo("price_list", "price_lists", required: true), .belongsTo("sku", "skus", required: true),
            .hasMany("price_tiers", "price_tiers", inverse: "price"),
        ])

    static let priceTiers = ResourceType(
        "price_tiers", singular: "price_tier", naturalKey: .parts([.relationship("price"), .attribute("name")]),
        marketScope: .through(relationship: "price"),
        attributes: [
            .string("name", [.required, .queryable]), .string("type", [.required, .queryable]),
            .float("up_to", .queryable), .integer("price_amount_cents", [.required, .queryable]),
            .centsFloat("price_amount_float", from: "price_amount_cents"),
            .formatted("formatted_price_amount", from: "price_amount_cents"),
        ],
        relationships: [.belongsTo("price", "prices", required: true)])

    static let stockItems = ResourceType(
        "stock_items", singular: "stock_item",
        naturalKey: .parts([.relationship("sku"), .relationship("stock_location")]),
        marketScope: .through(relationship: "stock_location"),
        attributes: [.integer("quantity", [.required, .queryable])],
        relationships: [
            .belongsTo("stock_location", "stock_locations", required: true), .belongsTo("sku", "skus", required: true),
        ])

    static let taxCategories = ResourceType(
        "tax_categories", singular: "tax_category", naturalKey: .attributes("code"),
        attributes: [.string("code", [.required, .queryable])],
        relationships: [.belongsTo("sku", "skus")])

    static let customers = ResourceType(
        "customers", singular: "customer", naturalKey: .attributes("email"),
        marketScope: .through(relationship: "customer_group"),
        attributes: [
            .string("email", [.required, .queryable]), .string("password", [.unexportable]),
            .string("status", .queryable), .string("shopper_reference", .queryable), .string("profile_id", .queryable),
            .string("tax_exemption_code", [.unexportable]),
        ],
        relationships: [
            .belongsTo("customer_group", "customer_groups"),
            .hasMany("customer_addresses", "customer_addresses", inverse: "customer"),
            .hasMany("orders", "orders", inverse: "customer"),
            tags(of: "customers", "customer"),
        ])

    static let customerAddresses = ResourceType(
        "customer_addresses", singular: "customer_address",
        naturalKey: .parts([.relationship("customer"), .relationship("address")]),
        marketScope: .through(relationship: "customer"),
        attributes: [],
        relationships: [
            .belongsTo("customer", "customers", required: true), .belongsTo("address", "addresses", required: true),
        ])

    static let skuLists = ResourceType(
        "sku_lists", singular: "sku_list", naturalKey: .attributes("slug"),
        attributes: [
            .string("name", [.required, .queryable]), .string("slug", [.required, .queryable]),
            .string("description"), .string("image_url"), .boolean("manual", .queryable), .string("sku_code_regex"),
        ],
        relationships: [
            .belongsTo("customer", "customers"),
            .hasMany("sku_list_items", "sku_list_items", inverse: "sku_list"),
        ])

    static let skuListItems = ResourceType(
        "sku_list_items", singular: "sku_list_item",
        naturalKey: .parts([.relationship("sku_list"), .relationship("sku")]),
        attributes: [.integer("position", .queryable), .integer("quantity", .queryable)],
        relationships: [
            .belongsTo("sku_list", "sku_lists", required: true), .belongsTo("sku", "skus", required: true),
        ])

    static let bundles = ResourceType(
        "bundles", singular: "bundle", naturalKey: .attributes("code"), marketScope: .through(relationship: "market"),
        attributes: [
            .string("code", [.required, .queryable]), .string("name", [.required, .queryable]),
            .string("currency_code", [.required, .queryable]), .string("description"), .string("image_url"),
            .integer("price_amount_cents", [.required, .queryable]),
            .centsFloat("price_amount_float", from: "price_amount_cents"),
            .formatted("formatted_price_amount", from: "price_amount_cents"),
            .integer("compare_at_amount_cents", .queryable),
        ],
        relationships: [
            .belongsTo("market", "markets"), .belongsTo("sku_list", "sku_lists"), tags(of: "bundles", "bundle"),
        ])

    static let orders = ResourceType(
        "orders", singular: "order", naturalKey: .attributes("number"), marketScope: .through(relationship: "market"),
        attributes: [
            .string("number", [.required, .queryable]), .string("status", .queryable),
            .string("payment_status", .queryable), .string("fulfillment_status", .queryable),
            .boolean("guest", .queryable), .string("customer_email", .queryable), .string("language_code"),
            .string("currency_code", .queryable), .boolean("tax_included"), .string("country_code", .queryable),
            .string("coupon_code", .queryable), .string("gift_card_code", .queryable),
            .integer("subtotal_amount_cents", .queryable),
            .centsFloat("subtotal_amount_float", from: "subtotal_amount_cents"),
            .formatted("formatted_subtotal_amount", from: "subtotal_amount_cents"),
            .integer("shipping_amount_cents", .queryable), .integer("discount_amount_cents", .queryable),
            .integer("total_tax_amount_cents", .queryable), .integer("total_amount_cents", .queryable),
            .centsFloat("total_amount_float", from: "total_amount_cents"),
            .formatted("formatted_total_amount", from: "total_amount_cents"),
            .integer("skus_count", .queryable), .datetime("placed_at", .queryable),
            .datetime("approved_at", .queryable), .datetime("cancelled_at", .queryable),
            .datetime("archived_at", .queryable),
        ],
        relationships: [
            .belongsTo("market", "markets"), .belongsTo("customer", "customers"),
            .belongsTo("shipping_address", "addresses"), .belongsTo("billing_address", "addresses"),
            .hasMany("line_items", "line_items", inverse: "order"), tags(of: "orders", "order"),
        ])

    static let lineItems = ResourceType(
        "line_items", singular: "line_item",
        naturalKey: .parts([.relationship("order"), .relationship("sku"), .relationship("bundle")]),
        marketScope: .through(relationship: "order"),
        attributes: [
            .integer("quantity", [.required, .queryable]), .string("currency_code", .queryable),
            .integer("unit_amount_cents", [.required, .queryable]),
            .centsFloat("unit_amount_float", from: "unit_amount_cents"),
            .formatted("formatted_unit_amount", from: "unit_amount_cents"),
            .integer("total_amount_cents", .queryable),
            .centsFloat("total_amount_float", from: "total_amount_cents"),
            .formatted("formatted_total_amount", from: "total_amount_cents"),
            .integer("tax_amount_cents", .queryable), .string("name", .queryable), .string("image_url"),
            .string("item_type", .queryable),
        ],
        relationships: [
            .belongsTo("order", "orders", required: true), .belongsTo("sku", "skus"), .belongsTo("bundle", "bundles"),
        ])

    static let coupons = ResourceType(
        "coupons", singular: "coupon", naturalKey: .attributes("code"),
        attributes: [
            .string("code", [.required, .queryable]), .boolean("customer_single_use", .queryable),
            .integer("usage_limit", .queryable), .integer("usage_count", .queryable),
            .string("recipient_email", .queryable), .datetime("expires_at", .queryable),
        ],
        relationships: [tags(of: "coupons", "coupon")])

    static let giftCards = ResourceType(
        "gift_cards", singular: "gift_card", naturalKey: .attributes("code"),
        marketScope: .through(relationship: "market"),
        attributes: [
            .string("status", .queryable), .string("code", .queryable),
            .string("currency_code", [.required, .queryable]), .integer("initial_balance_cents", .queryable),
            .integer("balance_cents", [.required, .queryable]), .centsFloat("balance_float", from: "balance_cents"),
            .formatted("formatted_balance", from: "balance_cents"), .integer("balance_max_cents"),
            .boolean("single_use", .queryable), .boolean("rechargeable", .queryable),
            .boolean("distribute_discount"), .string("image_url"), .datetime("expires_at", .queryable),
            .string("recipient_email", .queryable),
        ],
        relationships: [.belongsTo("market", "markets"), tags(of: "gift_cards", "gift_card")])
}
