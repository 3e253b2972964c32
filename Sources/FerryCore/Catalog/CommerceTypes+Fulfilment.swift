/// The types past the catalog and the cart that Commerce Layer's CLI exports or imports: payment
/// and shipping methods, options, wallets and subscriptions, shipments, stock transfers, returns
/// and transactions. Names and types are Commerce Layer's (its resource schema and SDK).
extension CommerceTypes {
    static let fulfilment: [ResourceType] = [
        paymentMethods, shippingMethods, skuOptions, lineItemOptions, customerPaymentSources, customerSubscriptions,
        shipments, stockTransfers, transactions, authorizations, captures, voids, refunds, returns,
    ]

    /// An amount in cents with its `_float` and `formatted_` companions (`price_amount_cents`).
    private static func amount(_ stem: String, _ flags: Attribute.Flags = .queryable) -> [Attribute] {
        [.integer(stem + "_cents", flags), .centsFloat(stem + "_float", from: stem + "_cents"), .formatted("formatted_" + stem, from: stem + "_cents")]
    }

    static let paymentMethods = ResourceType(
        "payment_methods", singular: "payment_method",
        naturalKey: .parts([.relationship("market"), .attribute("payment_source_type"), .attribute("currency_code")]),
        marketScope: .through(relationship: "market"),
        attributes: [
            .string("name", .queryable), .string("payment_source_type", [.required, .queryable]),
            .string("currency_code", .queryable), .boolean("moto", .queryable), .boolean("require_capture", .queryable),
            .boolean("auto_place", .queryable), .boolean("auto_capture", .queryable),
        ] + amount("price_amount", [.required, .queryable]) + amount("auto_capture_max_amount") + [.datetime("disabled_at", .queryable)],
        relationships: [.belongsTo("market", "markets")])

    static let shippingMethods = ResourceType(
        "shipping_methods", singular: "shipping_method", naturalKey: .parts([.relationship("market"), .attribute("name")]),
        marketScope: .through(relationship: "market"),
        attributes: [
            .string("name", [.required, .queryable]), .string("scheme", .queryable), .string("currency_code", .queryable),
            .string("external_prices_url"),
        ] + amount("price_amount", [.required, .queryable]) + amount("free_over_amount") + [
            .boolean("use_subtotal"), .float("min_weight", .queryable), .float("max_weight", .queryable),
            .string("unit_of_weight"), .string("tax_code", .queryable), .datetime("disabled_at", .queryable),
            .string("shared_secret", [.unexportable], origin: .server),
        ],
        relationships: [
            .belongsTo("market", "markets"), .belongsTo("shipping_category", "shipping_categories"),
            .belongsTo("stock_location", "stock_locations"),
        ])

    static let skuOptions = ResourceType(
        "sku_options", singular: "sku_option", naturalKey: .parts([.relationship("market"), .attribute("name")]),
        marketScope: .through(relationship: "market"),
        attributes: [
            .string("name", [.required, .queryable]), .string("currency_code", [.required, .queryable]),
            .string("description", .filterable),
        ] + amount("price_amount") + [
            .integer("delay_hours", .queryable), .integer("delay_days", .queryable, origin: .server), .string("sku_code_regex"),
        ],
        relationships: [.belongsTo("market", "markets"), tags(of: "sku_options", "sku_option")])

    static let lineItemOptions = ResourceType(
        "line_item_options", singular: "line_item_option", naturalKey: .parts([.relationship("line_item"), .relationship("sku_option")]),
        marketScope: .through(relationship: "line_item"),
        attributes: [
            .string("name", .queryable), .integer("quantity", [.required, .queryable]), .string("currency_code", .queryable),
        ] + amount("unit_amount") + amount("total_amount") + [
            .integer("delay_hours", .queryable), .integer("delay_days", .filterable, origin: .server), .object("options", .required),
        ],
        relationships: [
            .belongsTo("line_item", "line_items", required: true), .belongsTo("sku_option", "sku_options", required: true),
            tags(of: "line_item_options", "line_item_option"),
        ])

    static let customerPaymentSources = ResourceType(
        "customer_payment_sources", singular: "customer_payment_source",
        naturalKey: .parts([.relationship("customer"), .attribute("payment_source_token")]),
        marketScope: .through(relationship: "customer"),
        attributes: [
            .string("name", .queryable, origin: .server), .string("customer_token", .queryable),
            .string("payment_source_token", [.required, .queryable]),
        ],
        relationships: [.belongsTo("customer", "customers", required: true), .belongsTo("payment_method", "payment_methods")])

    static let customerSubscriptions = ResourceType(
        "customer_subscriptions", singular: "customer_subscription", naturalKey: .attributes("customer_email", "reference"),
        marketScope: .through(relationship: "customer"),
        attributes: [.string("customer_email", [.required, .queryable])],
        relationships: [.belongsTo("customer", "customers")])

    static let shipments = ResourceType(
        "shipments", singular: "shipment", naturalKey: .attributes("number"), marketScope: .through(relationship: "order"),
        attributes: [
            .string("number", [.required, .queryable]), .string("status", .queryable), .string("currency_code", .queryable),
        ] + amount("cost_amount") + [
            .integer("skus_count", .queryable), .string("selected_rate_id"), .array("rates"),
            .string("purchase_error_code", .queryable), .string("purchase_error_message"), .array("get_rates_errors"),
        ] + ["get_rates_started_at", "get_rates_completed_at", "purchase_started_at", "purchase_completed_at", "purchase_failed_at",
             "on_hold_at", "picking_at", "packing_at", "ready_to_ship_at", "shipped_at", "delivered_at"].map { .datetime($0, .queryable) },
        relationships: [
            .belongsTo("order", "orders", required: true), .belongsTo("shipping_category", "shipping_categories"),
            .belongsTo("inventory_stock_location", "inventory_stock_locations"), .belongsTo("stock_location", "stock_locations"),
            .belongsTo("origin_address", "addresses"), .belongsTo("shipping_address", "addresses"),
            .belongsTo("shipping_method", "shipping_methods"),
            .hasMany("stock_transfers", "stock_transfers", inverse: "shipment"),
        ])

    static let stockTransfers = ResourceType(
        "stock_transfers", singular: "stock_transfer", naturalKey: .attributes("number"),
        marketScope: .through(relationship: "origin_stock_location"),
        attributes: [
            .string("number", [.required, .queryable]), .string("sku_code", .queryable), .string("status", .queryable),
            .integer("quantity", [.required, .queryable]),
        ] + ["on_hold_at", "picking_at", "in_transit_at", "completed_at", "cancelled_at"].map { .datetime($0, .queryable) },
        relationships: [
            .belongsTo("sku", "skus", required: true), .belongsTo("origin_stock_location", "stock_locations", required: true),
            .belongsTo("destination_stock_location", "stock_locations", required: true), .belongsTo("shipment", "shipments"),
            .belongsTo("line_item", "line_items"),
        ])

    /// A payment transaction of an order: `transactions` itself and each of its kinds share these
    /// attributes; `extra` and `relationships` are a kind's own.
    private static func transaction(_ name: String, _ singular: String, extra: [Attribute] = [], relationships: [Relationship] = []) -> ResourceType {
        ResourceType(
            name, singular: singular, naturalKey: .attributes("number"), marketScope: .through(relationship: "order"),
            attributes: [
                .string("number", [.required, .queryable]), .string("payment_method_type", .queryable),
                .string("currency_code", [.required, .queryable]),
            ] + amount("amount", [.required, .queryable]) + [
                .boolean("succeeded", .queryable), .string("message"), .string("error_code", .queryable), .string("error_detail"),
                .string("token", .queryable), .string("gateway_transaction_id", .queryable),
            ] + extra,
            relationships: [.belongsTo("order", "orders", required: true)] + relationships)
    }

    static let transactions = transaction("transactions", "transaction")

    static let authorizations = transaction(
        "authorizations", "authorization",
        extra: [
            .string("cvv_code"), .string("cvv_message"), .string("avs_code"), .string("avs_message"), .string("fraud_review"),
        ] + amount("capture_amount") + amount("capture_balance") + amount("void_balance"),
        relationships: [
            .hasMany("captures", "captures", inverse: "reference_authorization"),
            .hasMany("voids", "voids", inverse: "reference_authorization"),
        ])

    static let captures = transaction(
        "captures", "capture", extra: amount("refund_amount") + amount("refund_balance"),
        relationships: [
            .belongsTo("reference_authorization", "authorizations"), .hasMany("refunds", "refunds", inverse: "reference_capture"),
        ])

    static let voids = transaction("voids", "void", relationships: [.belongsTo("reference_authorization", "authorizations")])

    static let refunds = transaction("refunds", "refund", relationships: [.belongsTo("reference_capture", "captures")])

    static let returns = ResourceType(
        "returns", singular: "return", naturalKey: .attributes("number"), marketScope: .through(relationship: "order"),
        attributes: [
            .string("number", [.required, .queryable]), .string("status", .queryable), .string("customer_email", .queryable),
            .integer("skus_count", .queryable),
        ] + ["approved_at", "cancelled_at", "shipped_at", "rejected_at", "received_at", "refunded_at", "archived_at"].map { .datetime($0, .queryable) }
            + amount("estimated_refund_amount"),
        relationships: [
            .belongsTo("order", "orders", required: true), .belongsTo("customer", "customers"),
            .belongsTo("stock_location", "stock_locations"), .belongsTo("origin_address", "addresses"),
            .belongsTo("destination_address", "addresses"), .belongsTo("reference_capture", "captures"),
            .belongsTo("reference_refund", "refunds"), tags(of: "returns", "return"),
        ])
}
