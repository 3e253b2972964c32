import FerryCore
import GRDB

/// The row generator behind ``DatasetSeeder``: one method per resource type, in dependency order.
///
/// Choices come from ``pick(_:_:)``, a stateless hash of the seed, a stream and an index, so a
/// record's content does not depend on how many random numbers earlier records drew.
final class SeedWriter {
    let db: GRDB.Database
    let catalog: ResourceCatalog
    let options: DatasetSeeder.Options
    let progress: (DatasetSeeder.Progress) -> Void
    private var ids: RecordIDGenerator
    private var clock: Int64 = 0
    /// The time of the first seeded record.
    let origin = Timestamp(year: 2025, month: 1, day: 6, hour: 8)

    init(db: GRDB.Database, catalog: ResourceCatalog, options: DatasetSeeder.Options, progress: @escaping (DatasetSeeder.Progress) -> Void) {
        self.db = db
        self.catalog = catalog
        self.options = options
        self.progress = progress
        self.ids = RecordIDGenerator(key: options.seed &* 0x9E37_79B9_7F4A_7C15)
    }

    // MARK: Deterministic choices

    /// A pseudo-random number fixed by the seed, a stream name and an index (SplitMix64 finaliser).
    func pick(_ stream: UInt64, _ index: Int) -> UInt64 {
        var z = options.seed &+ stream &* 0xBF58_476D_1CE4_E5B9 &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func pick<T>(_ list: [T], _ stream: UInt64, _ index: Int) -> T {
        list[Int(pick(stream, index) % UInt64(list.count))]
    }

    func number(_ stream: UInt64, _ index: Int, in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(pick(stream, index) % UInt64(range.count))
    }

    func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // MARK: Writing

    /// Inserts `count` rows into a type's table; `fill` sets the type's own columns. Sets `id`,
    /// `created_at` and `updated_at`, reports progress, and returns the ids when asked to.
    @discardableResult
    func insert(
        _ typeName: String, count: Int, keepIDs: Bool = true, _ fill: (BulkInserter, Int) throws -> Void
    ) throws -> [String] {
        let type = try catalog.type(named: typeName)
        let inserter = try BulkInserter(db, table: typeName, columns: CatalogSchema.columns(of: type))
        var kept: [String] = []
        if keepIDs { kept.reserveCapacity(count) }
        let step = max(1, min(50_000, count / 20))
        progress(.init(step: typeName, completed: 0, total: count))
        for i in 0..<count {
            let id = ids.next()
            clock += 1
            let created = Timestamp(millisecondsSinceEpoch: origin.millisecondsSinceEpoch + clock * 1_000)
            inserter["id"] = .text(id)
            inserter["created_at"] = .timestamp(created)
            inserter["updated_at"] = .timestamp(Timestamp(millisecondsSinceEpoch: created.millisecondsSinceEpoch + Int64(i % 7) * 3_600_000))
            try fill(inserter, i)
            try inserter.insertRow()
            if keepIDs { kept.append(id) }
            if (i + 1) % step == 0 { progress(.init(step: typeName, completed: i + 1, total: count)) }
        }
        progress(.init(step: typeName, completed: count, total: count))
        return kept
    }

    /// Links owners to tags in a many-to-many join table.
    func tag(_ owner: String, ids ownerIDs: [String], tags: [String], every: Int, stream: UInt64) throws {
        guard let relationship = catalog[owner]?.relationship(named: "tags"),
              case .manyToMany(let table, let ownKey, let targetKey) = relationship.kind
        else { return }
        let inserter = try BulkInserter(db, table: table, columns: [ownKey, targetKey])
        for (i, id) in ownerIDs.enumerated() where i % every == 0 {
            let first = Int(pick(stream, i) % UInt64(tags.count))
            let count = 1 + Int(pick(stream + 1, i) % 2)
            for k in 0..<count {
                inserter[ownKey] = .text(id)
                inserter[targetKey] = .text(tags[(first + k * 7) % tags.count])
                try inserter.insertRow()
            }
        }
    }

    // MARK: The catalog

    func writeAll() throws {
        let n = options.skus
        let customerCount = options.customers

        let tagIDs = try insert("tags", count: SeedVocabulary.tags.count) { row, i in
            row["name"] = .text(SeedVocabulary.tags[i])
        }
        let inventoryModelIDs = try insert("inventory_models", count: 2) { row, i in
            row["name"] = .text(["Default inventory", "Ship from closest"][i])
            row["strategy"] = .text(["no_split", "split_shipments"][i])
            row["stock_locations_cutoff"] = .int(2)
            row["stock_reservation_cutoff"] = .int(3600)
            row["put_stock_transfers_on_hold"] = .bool(false)
            row["manual_stock_decrement"] = .bool(i == 1)
        }
        let groupNames = ["Retail", "VIP", "Wholesale"]
        let customerGroupIDs = try insert("customer_groups", count: groupNames.count) { row, i in
            row["name"] = .text(groupNames[i])
            row["code"] = .text(groupNames[i].lowercased())
        }
        let currencies = Self.currencies
        let priceListIDs = try insert("price_lists", count: currencies.count) { row, i in
            row["name"] = .text("\(["Europe", "United States", "United Kingdom"][i]) price list")
            row["code"] = .text("\(currencies[i].lowercased())-retail")
            row["currency_code"] = .text(currencies[i])
            row["tax_included"] = .bool(i != 1)
        }
        let marketCodes = ["europe", "usa", "uk"]
        let marketIDs = try insert("markets", count: marketCodes.count) { row, i in
            row["name"] = .text(["Europe", "USA", "UK"][i])
            row["code"] = .text(marketCodes[i])
            row["checkout_url"] = .text("https://checkout.example.com/\(marketCodes[i])")
            row["shipping_cost_cutoff"] = .int([5000, 7500, 4000][i])
            row["shared_secret"] = .text(String(format16: pick(11, i)))
            row["price_list_id"] = .text(priceListIDs[i])
            row["customer_group_id"] = .text(customerGroupIDs[i])
            row["inventory_model_id"] = .text(inventoryModelIDs[i == 0 ? 0 : 1])
        }
        let locationCities = [0, 3, 4]  // Milan, Newark, London
        let locationAddressIDs = try insert("addresses", count: locationCities.count) { row, i in
            let city = SeedVocabulary.cities[locationCities[i]]
            fillAddress(row, index: i, firstName: "Warehouse", lastName: city.city, company: "Ferry Logistics",
                        street: "\(SeedVocabulary.streets[i]) \(10 + i)", city: city, business: true)
        }
        let stockLocationIDs = try insert("stock_locations", count: locationCities.count) { row, i in
            let city = SeedVocabulary.cities[locationCities[i]].city
            row["name"] = .text("\(city) warehouse")
            row["code"] = .text("wh-\(city.lowercased())")
            row["label_format"] = .text(["PDF", "ZPL", "PNG"][i])
            row["suppress_etd"] = .bool(false)
            row["address_id"] = .text(locationAddressIDs[i])
        }
        let links: [(model: Int, location: Int)] = [(0, 0), (0, 1), (1, 1), (1, 2)]
        let inventoryStockLocationIDs = try insert("inventory_stock_locations", count: links.count) { row, i in
            row["priority"] = .int(Int64(i % 2 + 1))
            row["on_hold"] = .bool(false)
            row["inventory_model_id"] = .text(inventoryModelIDs[links[i].model])
            row["stock_location_id"] = .text(stockLocationIDs[links[i].location])
        }
        let categoryNames = ["Standard", "Oversize", "Fragile", "Digital"]
        let shippingCategoryIDs = try insert("shipping_categories", count: categoryNames.count) { row, i in
            row["name"] = .text(categoryNames[i])
            row["code"] = .text(categoryNames[i].lowercased())
        }

        let width = max(6, String(n).count)
        let skuIDs = try insert("skus", count: n) { row, i in
            row["code"] = .text(skuCode(i, width: width))
            row["name"] = .text(skuName(i))
            row["description"] = .text("\(skuName(i)) from the \(pick(SeedVocabulary.adjectives, 3, i).lowercased()) line.")
            row["image_url"] = .text("https://img.example.com/skus/\(skuCode(i, width: width)).png")
            row["pieces_per_pack"] = i % 5 == 0 ? .int(Int64(number(4, i, in: 2...12))) : .null
            row["weight"] = .double(Double(number(5, i, in: 50...2500)))
            row["unit_of_weight"] = .text("gr")
            row["hs_tariff_number"] = .text("6109.10.\(padded(number(6, i, in: 0...99), width: 2))")
            row["do_not_ship"] = .bool(i % 50 == 0)
            row["do_not_track"] = .bool(i % 97 == 0)
            row["shipping_category_id"] = .text(shippingCategoryIDs[i % 17 == 0 ? 1 : (i % 31 == 0 ? 2 : 0)])
            if i % 10 == 0 {
                row["metadata"] = .json(["season": .string(i % 20 == 0 ? "fall" : "spring"), "rank": .int(Int64(i % 100))])
            }
            if i % 13 == 0 { row["reference"] = .text("ERP-\(padded(i, width: width))") }
        }
        try tag("skus", ids: skuIDs, tags: tagIDs, every: 1, stream: 7)

        var tierOwnerIDs: [String] = []
        tierOwnerIDs.reserveCapacity(n)
        let multipliers = Self.multipliers
        let priceIDs = try insert("prices", count: n * 3, keepIDs: true) { row, k in
            let (sku, list) = (k / 3, k % 3)
            row["currency_code"] = .text(currencies[list])
            let amount = priceCents(sku: sku, list: list, multipliers: multipliers)
            row["amount_cents"] = .int(amount)
            row["compare_at_amount_cents"] = .int(amount + amount / 5)
            row["price_list_id"] = .text(priceListIDs[list])
            row["sku_id"] = .text(skuIDs[sku])
        }
        for k in stride(from: 0, to: priceIDs.count, by: 3) { tierOwnerIDs.append(priceIDs[k]) }
        let tierOwnerCount = tierOwnerIDs.count
        try insert("price_tiers", count: tierOwnerCount * 2, keepIDs: false) { row, t in
            let (owner, level) = (t / 2, t % 2)
            let base = priceCents(sku: owner, list: 0, multipliers: multipliers)
            row["name"] = .text(level == 0 ? "10+ units" : "50+ units")
            row["type"] = .text("PriceVolumeTier")
            row["up_to"] = .double(level == 0 ? 49 : 999)
            row["price_amount_cents"] = .int(base - base * Int64(level == 0 ? 5 : 12) / 100)
            row["price_id"] = .text(tierOwnerIDs[owner])
        }
        try insert("stock_items", count: n * 2, keepIDs: false) { row, k in
            let (sku, slot) = (k / 2, k % 2)
            row["quantity"] = .int(Int64(number(8, k, in: 0...500)))
            row["stock_location_id"] = .text(stockLocationIDs[(sku + slot) % stockLocationIDs.count])
            row["sku_id"] = .text(skuIDs[sku])
        }
        try insert("tax_categories", count: min(n, 10), keepIDs: false) { row, i in
            row["code"] = .text("TX\(padded(31000 + i * 10, width: 6))")
            row["sku_id"] = .text(skuIDs[i])
        }

        let customerAddressIDs = try insert("addresses", count: customerCount) { row, i in
            let city = pick(SeedVocabulary.cities, 12, i)
            fillAddress(row, index: i + 100, firstName: firstName(i), lastName: lastName(i), company: nil,
                        street: "\(pick(SeedVocabulary.streets, 13, i)) \(number(14, i, in: 1...240))", city: city, business: false)
        }
        let customerIDs = try insert("customers", count: customerCount) { row, i in
            row["email"] = .text(customerEmail(i))
            row["status"] = .text(["prospect", "acquired", "repeat"][i % 3])
            row["shopper_reference"] = .text("shopper-\(padded(i, width: 7))")
            row["password"] = .text("hash:\(String(format16: pick(15, i)))")
            row["customer_group_id"] = .text(customerGroupIDs[i % 7 == 0 ? 1 : (i % 11 == 0 ? 2 : 0)])
            if i % 4 == 0 { row["metadata"] = .json(["newsletter": .bool(i % 8 == 0)]) }
        }
        try tag("customers", ids: customerIDs, tags: tagIDs, every: 5, stream: 16)
        try tag("addresses", ids: customerAddressIDs, tags: tagIDs, every: 50, stream: 17)
        try insert("customer_addresses", count: customerCount, keepIDs: false) { row, i in
            row["customer_id"] = .text(customerIDs[i])
            row["address_id"] = .text(customerAddressIDs[i])
        }

        let listCount = 5
        let skuListIDs = try insert("sku_lists", count: listCount) { row, i in
            let product = SeedVocabulary.products[i % SeedVocabulary.products.count]
            row["name"] = .text("\(product) collection")
            row["slug"] = .text("\(product.lowercased().replacingSpaces())-collection")
            row["description"] = .text("Every \(product.lowercased()) we sell.")
            row["manual"] = .bool(true)
            row["customer_id"] = i == 0 ? .text(customerIDs[0]) : .null
        }
        let itemsPerList = min(10, n)
        try insert("sku_list_items", count: listCount * itemsPerList, keepIDs: false) { row, k in
            let (list, position) = (k / itemsPerList, k % itemsPerList)
            row["position"] = .int(Int64(position + 1))
            row["quantity"] = .int(Int64(1 + position % 3))
            row["sku_list_id"] = .text(skuListIDs[list])
            row["sku_id"] = .text(skuIDs[(list * 7 + position * 13) % n])
        }
        let bundleIDs = try insert("bundles", count: listCount) { row, i in
            row["code"] = .text("BUNDLE-\(padded(i + 1, width: 3))")
            row["name"] = .text("\(SeedVocabulary.products[i % SeedVocabulary.products.count]) bundle")
            row["currency_code"] = .text(currencies[i % 3])
            row["price_amount_cents"] = .int(Int64(4900 + i * 1000))
            row["compare_at_amount_cents"] = .int(Int64(5900 + i * 1000))
            row["market_id"] = .text(marketIDs[i % 3])
            row["sku_list_id"] = .text(skuListIDs[i])
        }
        try tag("bundles", ids: bundleIDs, tags: tagIDs, every: 1, stream: 18)

        let orderCount = customerCount
        let statuses = ["placed", "approved", "cancelled", "draft", "pending"]
        let orderIDs = try insert("orders", count: orderCount) { row, i in
            let customer = orderCustomer(i)
            let market = i % 3
            let status = statuses[i % statuses.count]
            let lines = lineItemSKUs(order: i)
            let (subtotal, shipping) = orderAmounts(i)
            let placed = Timestamp(millisecondsSinceEpoch: origin.millisecondsSinceEpoch + Int64(i) * 60_000)
            row["number"] = .text(String(100_000 + i))
            row["status"] = .text(status)
            row["payment_status"] = .text(status == "approved" ? "paid" : (status == "placed" ? "authorized" : "unpaid"))
            row["fulfillment_status"] = .text(status == "approved" ? "fulfilled" : "unfulfilled")
            row["guest"] = .bool(false)
            row["customer_email"] = .text(customerEmail(customer))
            row["language_code"] = .text(["it", "en", "en"][market])
            row["currency_code"] = .text(currencies[market])
            row["tax_included"] = .bool(market != 1)
            row["country_code"] = .text(["IT", "US", "GB"][market])
            row["coupon_code"] = i % 9 == 0 ? .text("WELCOME\(i % 20)") : .null
            row["subtotal_amount_cents"] = .int(subtotal)
            row["shipping_amount_cents"] = .int(shipping)
            row["discount_amount_cents"] = .int(0)
            row["total_tax_amount_cents"] = .int(subtotal * 22 / 122)
            row["total_amount_cents"] = .int(subtotal + shipping)
            row["skus_count"] = .int(Int64(lines.reduce(0) { $0 + $1.quantity }))
            row["placed_at"] = status == "draft" || status == "pending" ? .null : .timestamp(placed)
            row["approved_at"] = status == "approved" ? .timestamp(Timestamp(millisecondsSinceEpoch: placed.millisecondsSinceEpoch + 3_600_000)) : .null
            row["cancelled_at"] = status == "cancelled" ? .timestamp(Timestamp(millisecondsSinceEpoch: placed.millisecondsSinceEpoch + 7_200_000)) : .null
            row["market_id"] = .text(marketIDs[market])
            row["customer_id"] = .text(customerIDs[customer])
            row["shipping_address_id"] = .text(customerAddressIDs[customer])
            row["billing_address_id"] = .text(customerAddressIDs[customer])
        }
        try tag("orders", ids: orderIDs, tags: tagIDs, every: 4, stream: 21)
        var lineOwners: [(order: Int, sku: Int, quantity: Int)] = []
        lineOwners.reserveCapacity(orderCount * 2)
        for order in 0..<orderCount {
            for line in lineItemSKUs(order: order) { lineOwners.append((order, line.sku, line.quantity)) }
        }
        try insert("line_items", count: (orderCount + 9) / 10, keepIDs: false) { row, k in
            // Every tenth order also holds a bundle line, which points at a bundle instead of a SKU.
            let (order, bundle) = (k * 10, k % listCount)
            row["quantity"] = .int(1)
            row["currency_code"] = .text(currencies[order % 3])
            row["unit_amount_cents"] = .int(Int64(4900 + bundle * 1000))
            row["total_amount_cents"] = .int(Int64(4900 + bundle * 1000))
            row["name"] = .text("\(SeedVocabulary.products[bundle % SeedVocabulary.products.count]) bundle")
            row["item_type"] = .text("bundles")
            row["order_id"] = .text(orderIDs[order])
            row["bundle_id"] = .text(bundleIDs[bundle])
        }
        let skuLineIDs = try insert("line_items", count: lineOwners.count) { row, k in
            let line = lineOwners[k]
            let market = line.order % 3
            let unit = priceCents(sku: line.sku, list: market, multipliers: multipliers)
            row["quantity"] = .int(Int64(line.quantity))
            row["currency_code"] = .text(currencies[market])
            row["unit_amount_cents"] = .int(unit)
            row["total_amount_cents"] = .int(unit * Int64(line.quantity))
            row["tax_amount_cents"] = .int(unit * Int64(line.quantity) * 22 / 122)
            row["name"] = .text(skuName(line.sku))
            row["image_url"] = .text("https://img.example.com/skus/\(skuCode(line.sku, width: width)).png")
            row["item_type"] = .text("skus")
            row["order_id"] = .text(orderIDs[line.order])
            row["sku_id"] = .text(skuIDs[line.sku])
        }
        let couponIDs = try insert("coupons", count: 20) { row, i in
            row["code"] = .text("WELCOME\(i)")
            row["customer_single_use"] = .bool(i % 2 == 0)
            row["usage_limit"] = .int(Int64(100 * (i + 1)))
            row["usage_count"] = .int(Int64(i * 3))
            row["recipient_email"] = i % 5 == 0 ? .text(customerEmail(i)) : .null
            row["expires_at"] = .timestamp(Timestamp(year: 2027, month: 1 + i % 12, day: 1))
        }
        try tag("coupons", ids: couponIDs, tags: tagIDs, every: 2, stream: 22)
        let giftCardIDs = try insert("gift_cards", count: 20) { row, i in
            let balance = Int64(2500 * (1 + i % 4))
            row["status"] = .text(["active", "inactive", "redeemed"][i % 3])
            row["code"] = .text("GC-\(String(format16: pick(23, i)).prefix(12).uppercased())")
            row["currency_code"] = .text(currencies[i % 3])
            row["initial_balance_cents"] = .int(balance)
            row["balance_cents"] = .int(i % 3 == 2 ? 0 : balance)
            row["balance_max_cents"] = .int(20000)
            row["single_use"] = .bool(i % 4 == 0)
            row["rechargeable"] = .bool(i % 4 != 0)
            row["distribute_discount"] = .bool(true)
            row["recipient_email"] = .text(customerEmail(i))
            row["market_id"] = .text(marketIDs[i % 3])
        }
        try tag("gift_cards", ids: giftCardIDs, tags: tagIDs, every: 3, stream: 24)
        // Types added to the catalog later come last, so that every earlier type keeps its ids.
        try writeFulfilment(SeededRecords(
            tags: tagIDs, markets: marketIDs, shippingCategories: shippingCategoryIDs, stockLocations: stockLocationIDs,
            warehouseAddresses: locationAddressIDs, inventoryStockLocations: inventoryStockLocationIDs, inventoryLinks: links,
            skus: skuIDs, customers: customerIDs, customerAddresses: customerAddressIDs, orders: orderIDs,
            skuLines: zip(skuLineIDs, lineOwners).map { ($0, $1.order, $1.sku, $1.quantity) }))
    }

    // MARK: Shared record content

    func skuCode(_ i: Int, width: Int) -> String { "SKU-" + padded(i + 1, width: width) }

    func skuName(_ i: Int) -> String {
        "\(pick(SeedVocabulary.adjectives, 1, i)) \(pick(SeedVocabulary.colors, 2, i)) \(SeedVocabulary.products[i % SeedVocabulary.products.count]) \(SeedVocabulary.sizes[i % SeedVocabulary.sizes.count])"
    }

    func priceCents(sku: Int, list: Int, multipliers: [Double]) -> Int64 {
        let base = Double(number(9, sku, in: 900...19_900))
        return Int64((base * multipliers[list]).rounded() / 10) * 10
    }

    /// The customer who placed an order.
    func orderCustomer(_ order: Int) -> Int { Int(pick(20, order) % UInt64(options.customers)) }

    /// An order's subtotal and shipping in cents, in its market's currency.
    func orderAmounts(_ order: Int) -> (subtotal: Int64, shipping: Int64) {
        let subtotal = lineItemSKUs(order: order).reduce(Int64(0)) { $0 + priceCents(sku: $1.sku, list: order % 3, multipliers: Self.multipliers) * Int64($1.quantity) }
        return (subtotal, subtotal > 5000 ? 0 : 700)
    }

    /// Each price list's prices relative to the first's.
    static let multipliers = [1.0, 1.08, 0.86]

    func lineItemSKUs(order: Int) -> [(sku: Int, quantity: Int)] {
        let count = min(1 + order % 3, options.skus)
        let first = Int(pick(19, order) % UInt64(options.skus))
        let step = max(1, options.skus / 3)
        return (0..<count).map { ((first + $0 * step) % options.skus, 1 + (order + $0) % 4) }
    }

    func firstName(_ i: Int) -> String { pick(SeedVocabulary.firstNames, 25, i) }
    func lastName(_ i: Int) -> String { pick(SeedVocabulary.lastNames, 26, i) }
    func customerEmail(_ i: Int) -> String {
        "\(firstName(i).lowercased()).\(lastName(i).lowercased().replacingSpaces())+\(i)@example.com"
    }

    func fillAddress(
        _ row: BulkInserter, index: Int, firstName: String, lastName: String, company: String?, street: String,
        city: (city: String, zip: String, state: String, country: String), business: Bool
    ) {
        var record = Record()
        record.append("business", .bool(business))
        record.append("first_name", .string(firstName))
        record.append("last_name", .string(lastName))
        if let company { record.append("company", .string(company)) }
        record.append("line_1", .string(street))
        record.append("city", .string(city.city))
        record.append("zip_code", .string(city.zip))
        record.append("state_code", .string(city.state))
        record.append("country_code", .string(city.country))
        record.append("phone", .string("+39 02 \(padded(Int(pick(27, index) % 10_000_000), width: 7))"))
        record.append("email", .string("\(firstName.lowercased().replacingSpaces()).\(index)@example.com"))
        for (name, value) in record.fields {
            switch value {
            case .bool(let b): row[name] = .bool(b)
            case .string(let s): row[name] = .text(s)
            default: break
            }
        }
        if let type = catalog["addresses"] {
            row[NaturalKey.contentHashColumn] = .text(type.contentHash(of: record))
        }
    }
}

extension String {
    /// Sixteen lowercase hex digits of a number.
    init(format16 value: UInt64) {
        let digits = String(value, radix: 16)
        self = String(repeating: "0", count: 16 - digits.count) + digits
    }

    func replacingSpaces() -> String {
        String(map { $0 == " " || $0 == "'" ? "-" : $0 })
    }
}
