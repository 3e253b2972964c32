import FerryCore

/// The ids of the records ``SeedWriter/writeAll()`` wrote that the fulfilment records point at.
struct SeededRecords {
    var tags, markets, shippingCategories, stockLocations, warehouseAddresses, inventoryStockLocations: [String]
    var inventoryLinks: [(model: Int, location: Int)]
    var skus, customers, customerAddresses, orders: [String]
    /// The line items that hold a SKU, with their order, SKU and quantity (by index).
    var skuLines: [(id: String, order: Int, sku: Int, quantity: Int)]
}

extension SeedWriter {
    /// The currencies of the three markets, in market order.
    static let currencies = ["EUR", "USD", "GBP"]

    /// Payment and shipping methods per market, options on every fourth SKU line, wallets and
    /// newsletter subscriptions of customers, and the life of placed orders: shipments with stock
    /// transfers, authorizations captured, voided or refunded, and returns of refunded orders.
    func writeFulfilment(_ seeded: SeededRecords) throws {
        let currencies = Self.currencies
        let width = max(6, String(options.skus).count)
        let sourceTypes = ["stripe_payments", "wire_transfers"]
        let paymentMethodIDs = try insert("payment_methods", count: 6) { row, i in
            let (market, kind) = (i / 2, i % 2)
            row["name"] = .text(kind == 0 ? "Credit card" : "Wire transfer")
            row["payment_source_type"] = .text(sourceTypes[kind])
            row["currency_code"] = .text(currencies[market])
            row["moto"] = .bool(false)
            row["require_capture"] = .bool(kind == 0)
            row["auto_place"] = .bool(kind == 0)
            row["auto_capture"] = .bool(false)
            row["price_amount_cents"] = .int(kind == 0 ? 0 : 150)
            row["auto_capture_max_amount_cents"] = kind == 0 ? .int(50_000) : .null
            row["market_id"] = .text(seeded.markets[market])
        }
        let shippingMethodIDs = try insert("shipping_methods", count: 6) { row, i in
            let (market, express) = (i / 2, i % 2 == 1)
            row["name"] = .text(express ? "Express" : "Standard")
            row["scheme"] = .text("flat")
            row["currency_code"] = .text(currencies[market])
            row["price_amount_cents"] = .int(express ? 1500 : 700)
            row["free_over_amount_cents"] = express ? .null : .int(5000)
            row["use_subtotal"] = .bool(true)
            row["min_weight"] = .double(0)
            row["max_weight"] = .double(express ? 5000 : 30000)
            row["unit_of_weight"] = .text("gr")
            row["tax_code"] = .text("FR0\(market)")
            row["shared_secret"] = .text(String(format16: pick(30, i)))
            row["market_id"] = .text(seeded.markets[market])
            row["shipping_category_id"] = .text(seeded.shippingCategories[0])
            row["stock_location_id"] = .text(seeded.stockLocations[market])
        }
        let optionNames = ["Gift wrapping", "Engraving", "Express handling"]
        let skuOptionIDs = try insert("sku_options", count: optionNames.count) { row, i in
            row["name"] = .text(optionNames[i])
            row["currency_code"] = .text(currencies[i])
            row["description"] = .text("\(optionNames[i]) for any item.")
            row["price_amount_cents"] = .int(Int64(300 + i * 200))
            row["delay_hours"] = .int(Int64(i * 24))
            row["delay_days"] = .int(Int64(i))
            row["sku_code_regex"] = .text("^SKU-")
            row["market_id"] = .text(seeded.markets[i])
        }
        try tag("sku_options", ids: skuOptionIDs, tags: seeded.tags, every: 1, stream: 31)
        let optionLines = seeded.skuLines.indices.filter { $0 % 4 == 0 }
        let lineOptionIDs = try insert("line_item_options", count: optionLines.count) { row, k in
            let line = seeded.skuLines[optionLines[k]]
            let market = line.order % 3
            let unit = Int64(300 + market * 200)
            row["name"] = .text(optionNames[market])
            row["quantity"] = .int(Int64(line.quantity))
            row["currency_code"] = .text(currencies[market])
            row["unit_amount_cents"] = .int(unit)
            row["total_amount_cents"] = .int(unit * Int64(line.quantity))
            row["delay_hours"] = .int(Int64(market * 24))
            row["delay_days"] = .int(Int64(market))
            row["options"] = .json(["message": .string("Order \(100_000 + line.order)"), "colour": .string(pick(SeedVocabulary.colors, 32, k))])
            row["line_item_id"] = .text(line.id)
            row["sku_option_id"] = .text(skuOptionIDs[market])
        }
        try tag("line_item_options", ids: lineOptionIDs, tags: seeded.tags, every: 3, stream: 36)

        try insert("customer_payment_sources", count: (seeded.customers.count + 2) / 3, keepIDs: false) { row, k in
            let customer = k * 3
            row["name"] = .text("Card •••• \(padded(Int(pick(33, customer) % 10_000), width: 4))")
            row["customer_token"] = .text("cus_\(String(format16: pick(34, customer)))")
            row["payment_source_token"] = .text("pm_\(String(format16: pick(35, customer)))")
            row["customer_id"] = .text(seeded.customers[customer])
            row["payment_method_id"] = .text(paymentMethodIDs[(customer % 3) * 2])
        }
        try insert("customer_subscriptions", count: (seeded.customers.count + 1) / 2, keepIDs: false) { row, k in
            row["customer_email"] = .text(customerEmail(k * 2))
            row["reference"] = .text("newsletter")
            row["customer_id"] = .text(seeded.customers[k * 2])
        }
        try writeOrderLives(seeded, width: width, shippingMethods: shippingMethodIDs)
    }

    /// What happens to orders after they are placed (status by `order % 5`: placed, approved,
    /// cancelled, draft, pending): placed and approved ones ship, placed, approved and cancelled
    /// ones are authorized; approved ones are captured (every other one then refunded and returned),
    /// cancelled ones voided; placed ones also hold a pending wire transfer.
    func writeOrderLives(_ seeded: SeededRecords, width: Int, shippingMethods: [String]) throws {
        let currencies = Self.currencies
        let orders = seeded.orders.indices
        func number(_ order: Int, _ kind: String) -> String { "\(100_000 + order)/\(kind)/001" }
        func at(_ order: Int, hours: Int64) -> SQLiteValue {
            .timestamp(Timestamp(millisecondsSinceEpoch: origin.millisecondsSinceEpoch + Int64(order) * 60_000 + hours * 3_600_000))
        }
        func total(_ order: Int) -> Int64 { orderAmounts(order).subtotal + orderAmounts(order).shipping }

        let shipped = orders.filter { $0 % 5 < 2 }
        var firstLine: [Int: Int] = [:]
        for (index, line) in seeded.skuLines.enumerated() where firstLine[line.order] == nil { firstLine[line.order] = index }
        let shipmentIDs = try insert("shipments", count: shipped.count) { row, k in
            let order = shipped[k], market = order % 3, approved = order % 5 == 1
            let link = [0, 2, 3][market]
            row["number"] = .text(number(order, "S"))
            row["status"] = .text(approved ? "shipped" : "upcoming")
            row["currency_code"] = .text(currencies[market])
            row["cost_amount_cents"] = .int(450)
            row["skus_count"] = .int(Int64(lineItemSKUs(order: order).reduce(0) { $0 + $1.quantity }))
            row["selected_rate_id"] = .text("rate_\(String(format16: pick(40, order)))")
            row["rates"] = .json([["id": .string("rate_\(String(format16: pick(40, order)))"), "carrier": "DHLExpress", "rate": "4.50"]])
            row["shipped_at"] = approved ? at(order, hours: 24) : .null
            row["order_id"] = .text(seeded.orders[order])
            row["shipping_category_id"] = .text(seeded.shippingCategories[0])
            row["inventory_stock_location_id"] = .text(seeded.inventoryStockLocations[link])
            row["stock_location_id"] = .text(seeded.stockLocations[seeded.inventoryLinks[link].location])
            row["origin_address_id"] = .text(seeded.warehouseAddresses[seeded.inventoryLinks[link].location])
            row["shipping_address_id"] = .text(seeded.customerAddresses[orderCustomer(order)])
            row["shipping_method_id"] = .text(shippingMethods[market * 2])
        }
        let transferCount = max(4, options.skus / 25)
        let statuses = ["completed", "in_transit", "draft"]
        try insert("stock_transfers", count: transferCount, keepIDs: false) { row, k in
            // Even transfers move the stock of a shipment's line; odd ones restock a location.
            var sku = (k * 7) % options.skus
            if k % 2 == 0, !shipmentIDs.isEmpty {
                let j = (k / 2) % shipmentIDs.count
                if let index = firstLine[shipped[j]] {
                    let line = seeded.skuLines[index]
                    sku = line.sku
                    row["shipment_id"] = .text(shipmentIDs[j])
                    row["line_item_id"] = .text(line.id)
                }
            }
            row["number"] = .text("ST-\(padded(k + 1, width: width))")
            row["sku_code"] = .text(skuCode(sku, width: width))
            row["status"] = .text(statuses[k % 3])
            row["quantity"] = .int(Int64(1 + k % 10))
            row[k % 3 == 0 ? "completed_at" : "in_transit_at"] = k % 3 == 2 ? .null : at(k, hours: 48)
            row["sku_id"] = .text(seeded.skus[sku])
            row["origin_stock_location_id"] = .text(seeded.stockLocations[k % 3])
            row["destination_stock_location_id"] = .text(seeded.stockLocations[(k + 1) % 3])
        }

        /// Fills the attributes every transaction has.
        func fillTransaction(_ row: BulkInserter, order: Int, kind: String, stream: UInt64, amount: Int64, wire: Bool = false) {
            row["number"] = .text(number(order, kind))
            row["payment_method_type"] = .text(wire ? "wire_transfers" : "stripe_payments")
            row["currency_code"] = .text(currencies[order % 3])
            row["amount_cents"] = .int(amount)
            row["succeeded"] = .bool(!wire)
            row["message"] = .text(wire ? "Awaiting the transfer" : "Success")
            row["token"] = .text("tok_\(String(format16: pick(stream, order)))")
            row["gateway_transaction_id"] = wire ? .null : .text("gw_\(String(format16: pick(stream + 1, order)))")
            row["order_id"] = .text(seeded.orders[order])
        }
        let placed = orders.filter { $0 % 5 == 0 }
        try insert("transactions", count: placed.count, keepIDs: false) { row, k in
            fillTransaction(row, order: placed[k], kind: "T", stream: 41, amount: total(placed[k]), wire: true)
        }
        let authorized = orders.filter { $0 % 5 < 3 }
        let authorizationIDs = try insert("authorizations", count: authorized.count) { row, k in
            let order = authorized[k], amount = total(order), status = order % 5
            fillTransaction(row, order: order, kind: "A", stream: 43, amount: amount)
            row["cvv_code"] = .text("M")
            row["avs_code"] = .text("Y")
            row["capture_amount_cents"] = .int(status == 1 ? amount : 0)
            row["capture_balance_cents"] = .int(status == 0 ? amount : 0)
            row["void_balance_cents"] = .int(status == 0 ? amount : 0)
        }
        let authorization = Dictionary(uniqueKeysWithValues: authorized.enumerated().map { ($1, authorizationIDs[$0]) })
        let approved = orders.filter { $0 % 5 == 1 }
        let captureIDs = try insert("captures", count: approved.count) { row, k in
            let order = approved[k], refunded = k % 2 == 0
            fillTransaction(row, order: order, kind: "C", stream: 45, amount: total(order))
            row["refund_amount_cents"] = .int(refunded ? total(order) : 0)
            row["refund_balance_cents"] = .int(refunded ? 0 : total(order))
            row["reference_authorization_id"] = .text(authorization[order]!)
        }
        let cancelled = orders.filter { $0 % 5 == 2 }
        try insert("voids", count: cancelled.count, keepIDs: false) { row, k in
            fillTransaction(row, order: cancelled[k], kind: "V", stream: 47, amount: total(cancelled[k]))
            row["reference_authorization_id"] = .text(authorization[cancelled[k]]!)
        }
        let refundedCaptures = approved.indices.filter { $0 % 2 == 0 }
        let refundIDs = try insert("refunds", count: refundedCaptures.count) { row, k in
            let order = approved[refundedCaptures[k]]
            fillTransaction(row, order: order, kind: "R", stream: 49, amount: total(order))
            row["reference_capture_id"] = .text(captureIDs[refundedCaptures[k]])
        }
        let returnIDs = try insert("returns", count: refundedCaptures.count) { row, k in
            let order = approved[refundedCaptures[k]], market = order % 3, customer = orderCustomer(order)
            row["number"] = .text(number(order, "RT"))
            row["status"] = .text("refunded")
            row["customer_email"] = .text(customerEmail(customer))
            row["skus_count"] = .int(Int64(lineItemSKUs(order: order).reduce(0) { $0 + $1.quantity }))
            row["approved_at"] = at(order, hours: 72)
            row["received_at"] = at(order, hours: 120)
            row["refunded_at"] = at(order, hours: 144)
            row["estimated_refund_amount_cents"] = .int(orderAmounts(order).subtotal)
            row["order_id"] = .text(seeded.orders[order])
            row["customer_id"] = .text(seeded.customers[customer])
            row["stock_location_id"] = .text(seeded.stockLocations[market])
            row["origin_address_id"] = .text(seeded.customerAddresses[customer])
            row["destination_address_id"] = .text(seeded.warehouseAddresses[market])
            row["reference_capture_id"] = .text(captureIDs[refundedCaptures[k]])
            row["reference_refund_id"] = .text(refundIDs[k])
        }
        try tag("returns", ids: returnIDs, tags: seeded.tags, every: 2, stream: 37)
    }
}
