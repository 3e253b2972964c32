/// The business key an import upserts on: what makes a record the same record in another dataset.
public enum NaturalKey: Hashable, Sendable {
    /// One or more parts taken together (`sku_code` + `price_list`).
    case parts([Part])
    /// A hash of the record's input attributes, stored in the `content_hash` column, together with
    /// the owner relationships listed (addresses have no business key of their own).
    case contentHash

    /// One part of a composite natural key.
    public enum Part: Hashable, Sendable {
        /// An attribute of the record itself (`code`).
        case attribute(String)
        /// A belongs-to relationship, matched by the related record's own natural key.
        case relationship(String)
    }

    /// A natural key made of attributes only.
    public static func attributes(_ names: String...) -> NaturalKey {
        .parts(names.map(Part.attribute))
    }

    /// The name of the column that holds a content hash.
    public static let contentHashColumn = "content_hash"
}
