/// How a sales-channel token's market scope restricts the records of a resource type (SPEC §8).
///
/// Rules compose along relationships, so each type states only its first step towards `markets`:
/// prices are scoped through their price list, price lists by the markets that use them.
public indirect enum MarketScope: Hashable, Sendable {
    /// Every record is visible to every market (tags, shipping categories).
    case unscoped
    /// The record is a market: visible when it is one of the token's markets.
    case market
    /// Visible when one of the token's markets points at it through the market column named
    /// (`price_lists` through `markets.price_list_id`).
    case referencedByMarket(column: String)
    /// Visible when the record's belongs-to relationship named is visible (`prices` through `price_list`).
    case through(relationship: String)
    /// Visible when at least one record of its has-many relationship named is visible
    /// (`skus` through `prices`: SKUs priced in the market).
    case throughAny(relationship: String)
}
