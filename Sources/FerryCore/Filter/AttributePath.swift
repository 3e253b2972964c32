/// An attribute reached from a resource type, possibly through belongs-to relationships
/// (`shipping_category_code` is `shipping_category` → `code`).
public struct AttributePath: Hashable, Sendable, CustomStringConvertible {
    /// The belongs-to relationships walked, from the filtered type outwards.
    public var relationships: [Relationship]
    /// The attribute at the end of the path; a foreign key appears as a string attribute.
    public var attribute: Attribute

    /// Creates a path.
    public init(relationships: [Relationship] = [], attribute: Attribute) {
        self.relationships = relationships
        self.attribute = attribute
    }

    /// The column that holds the attribute in the last type's table.
    public var column: String { attribute.name }

    /// The path as written in a filter key (`shipping_category_code`).
    public var description: String {
        (relationships.map(\.name) + [attribute.name]).joined(separator: "_")
    }

    /// How many belongs-to steps a path may take.
    public static let maximumDepth = 3

    /// Resolves a filter attribute name against a type: a filterable stored attribute, a
    /// belongs-to foreign key (`price_list_id`), or a relationship name followed by a name that
    /// resolves against the related type.
    public static func resolve(_ name: String, in type: ResourceType, catalog: ResourceCatalog, depth: Int = 0) -> AttributePath? {
        if let attribute = type.attribute(named: name), attribute.isFilterable, attribute.isStored, attribute.isExportable {
            return AttributePath(attribute: attribute)
        }
        for relationship in type.belongsTo {
            if name == relationship.foreignKey {
                return AttributePath(attribute: .string(name, .queryable))
            }
        }
        guard depth < maximumDepth else { return nil }
        for relationship in type.belongsTo where name.hasPrefix(relationship.name + "_") {
            let rest = String(name.dropFirst(relationship.name.count + 1))
            guard let target = catalog[relationship.target],
                  var path = resolve(rest, in: target, catalog: catalog, depth: depth + 1)
            else { continue }
            path.relationships.insert(relationship, at: 0)
            return path
        }
        return nil
    }

    /// The names a filter may use on a type directly (its own filterable attributes and foreign keys).
    public static func filterableNames(of type: ResourceType) -> [String] {
        type.attributes.filter { $0.isFilterable && $0.isStored && $0.isExportable }.map(\.name)
            + type.belongsTo.compactMap(\.foreignKey)
    }
}
