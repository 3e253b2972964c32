/// A relationship from one resource type to another.
public struct Relationship: Hashable, Sendable {
    /// How the two types are linked.
    public enum Kind: Hashable, Sendable {
        /// This record holds the target's id in the column `foreignKey` (`prices.sku_id`).
        case belongsTo(foreignKey: String, required: Bool)
        /// Target records point at this one through their belongs-to relationship `inverse`.
        case hasMany(inverse: String)
        /// Records are linked through rows of a join table (`skus_tags(sku_id, tag_id)`).
        case manyToMany(joinTable: String, ownKey: String, targetKey: String)
    }

    /// The relationship's name (`sku`, `prices`, `tags`).
    public var name: String
    /// The target resource type's name (`skus`).
    public var target: String
    /// How the types are linked.
    public var kind: Kind

    /// Creates a relationship.
    public init(name: String, target: String, kind: Kind) {
        self.name = name
        self.target = target
        self.kind = kind
    }

    /// A belongs-to relationship whose foreign key is `<name>_id`.
    public static func belongsTo(_ name: String, _ target: String, required: Bool = false) -> Relationship {
        Relationship(name: name, target: target, kind: .belongsTo(foreignKey: name + "_id", required: required))
    }

    /// A has-many relationship through the target's belongs-to relationship `inverse`.
    public static func hasMany(_ name: String, _ target: String, inverse: String) -> Relationship {
        Relationship(name: name, target: target, kind: .hasMany(inverse: inverse))
    }

    /// A many-to-many relationship through a join table named `<owner>_<name>`.
    public static func manyToMany(_ name: String, _ target: String, owner: String, ownerSingular: String, targetSingular: String) -> Relationship {
        Relationship(
            name: name, target: target,
            kind: .manyToMany(joinTable: owner + "_" + name, ownKey: ownerSingular + "_id", targetKey: targetSingular + "_id"))
    }

    /// The foreign key column, for a belongs-to relationship.
    public var foreignKey: String? {
        if case .belongsTo(let key, _) = kind { return key }
        return nil
    }

    /// Whether the relationship points at one record (belongs-to) rather than many.
    public var isToOne: Bool { foreignKey != nil }

    /// Whether a record of the owning type is invalid without this relationship.
    public var isRequired: Bool {
        if case .belongsTo(_, let required) = kind { return required }
        return false
    }
}
