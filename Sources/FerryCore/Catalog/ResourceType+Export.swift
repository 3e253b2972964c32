extension ResourceType {
    /// The shape of this type's exported records: exportable attributes in catalog order (computed
    /// ones included), then the `<relationship>_id` of each belongs-to relationship.
    public var exportShape: RecordShape {
        RecordShape(exportableAttributes.map { RecordShape.Field($0.name) } + belongsTo.compactMap { $0.foreignKey.map { RecordShape.Field($0) } })
    }
}

extension Attribute.Derivation {
    /// The stored attribute the value is derived from.
    public var source: String {
        switch self {
        case .centsAsFloat(let name), .formattedCents(let name): return name
        }
    }

    /// The derived value, given the source's value and the record's `currency_code`.
    public func value(from cents: Value, currency: Value?) -> Value {
        guard let cents = cents.intValue else { return .null }
        switch self {
        case .centsAsFloat: return .double(Double(cents) / 100)
        case .formattedCents: return .string(MoneyFormat.format(cents: cents, currency: currency?.stringValue))
        }
    }
}

/// Formats amounts the way Commerce Layer's `formatted_*` attributes do: `€12,34`, `$12.34`.
enum MoneyFormat {
    static func format(cents: Int64, currency: String?) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        let units = String(magnitude / 100)
        let fraction = magnitude % 100
        let fractionText = fraction < 10 ? "0\(fraction)" : String(fraction)
        let (symbol, separator): (String, String) =
            switch currency {
            case "EUR": ("€", ",")
            case "USD": ("$", ".")
            case "GBP": ("£", ".")
            case let code?: (code + " ", ".")
            case nil: ("", ".")
            }
        return (negative ? "-" : "") + symbol + units + separator + fractionText
    }
}

extension ResourceType {
    /// The suffixes of the reference fields that stand for a record of this type in dry data:
    /// `["code"]` for SKUs (so `sku_id` becomes `sku_code`), `["sku_code", "price_list_code"]`
    /// for prices, `["content_hash"]` for addresses.
    public func naturalKeySuffixes(in catalog: ResourceCatalog) -> [String] {
        switch naturalKey {
        case .contentHash: return [NaturalKey.contentHashColumn]
        case .parts(let parts):
            return parts.flatMap { part -> [String] in
                switch part {
                case .attribute(let name): return [name]
                case .relationship(let name):
                    guard let target = relationship(named: name).flatMap({ catalog[$0.target] }) else { return [] }
                    return target.naturalKeySuffixes(in: catalog).map { name + "_" + $0 }
                }
            }
        }
    }
}
