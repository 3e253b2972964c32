/// The declarative description of one resource type: everything Ferry needs to store, filter,
/// export and import its records. Adding a type to the catalog adds no code path.
public struct ResourceType: Hashable, Sendable {
    /// The plural name, which is also the table name and the JSON:API type (`skus`).
    public var name: String
    /// The singular name, used in relationship-derived keys (`sku` in `sku_code`).
    public var singular: String
    /// The attributes, in export order; `id`, `created_at` and `updated_at` are among them.
    public var attributes: [Attribute]
    /// The relationships.
    public var relationships: [Relationship]
    /// The business key imports upsert on.
    public var naturalKey: NaturalKey
    /// How a market scope restricts its records.
    public var marketScope: MarketScope

    /// Creates a resource type. The standard attributes (`id`, `created_at`, `updated_at`,
    /// `reference`, `reference_origin`, `metadata`) are added around `attributes`.
    public init(
        _ name: String,
        singular: String,
        naturalKey: NaturalKey,
        marketScope: MarketScope = .unscoped,
        attributes: [Attribute],
        relationships: [Relationship] = []
    ) {
        self.name = name
        self.singular = singular
        self.naturalKey = naturalKey
        self.marketScope = marketScope
        var all: [Attribute] = [.string("id", [.required, .queryable], origin: .server)]
        all += attributes
        if naturalKey == .contentHash {
            all.append(.string(NaturalKey.contentHashColumn, [.unexportable], origin: .server))
        }
        all += [
            .datetime("created_at", [.required, .queryable], origin: .server),
            .datetime("updated_at", [.required, .queryable], origin: .server),
            .string("reference", .queryable),
            .string("reference_origin", .queryable),
            .object("metadata", .filterable),
        ]
        self.attributes = all
        self.relationships = relationships
    }

    /// The attribute named, if any.
    public func attribute(named name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    /// The relationship named, if any.
    public func relationship(named name: String) -> Relationship? {
        relationships.first { $0.name == name }
    }

    /// The attributes that have a column.
    public var storedAttributes: [Attribute] { attributes.filter(\.isStored) }

    /// The attributes exports may write.
    public var exportableAttributes: [Attribute] { attributes.filter(\.isExportable) }

    /// The belongs-to relationships, in declaration order.
    public var belongsTo: [Relationship] { relationships.filter(\.isToOne) }

    /// The names of the types this one's belongs-to relationships point at.
    public var dependencies: [String] { belongsTo.map(\.target) }
}
