import FerryCore

/// What an input field of a type can be, worked out once per type instead of once per field of
/// every record: an attribute, a relationship, a foreign key, or a `<rel>_<natural key>` reference.
final class FieldIndex {
    let attributes: [String: Attribute]
    let relationships: [String: Relationship]
    let foreignKeys: [String: Relationship]
    let references: [String: (relationship: Relationship, suffix: String)]
    /// Stored input columns in table order, then foreign keys in declaration order: the order
    /// writes list columns in, so statements for records with the same fields are the same text.
    let writeOrder: [String]

    init(type: ResourceType, catalog: ResourceCatalog) {
        attributes = Dictionary(type.attributes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        relationships = Dictionary(type.relationships.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        foreignKeys = Dictionary(type.belongsTo.compactMap { r in r.foreignKey.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        var references: [String: (Relationship, String)] = [:]
        for relationship in type.belongsTo {
            guard let target = catalog[relationship.target] else { continue }
            for suffix in target.naturalKeySuffixes(in: catalog) where references[relationship.name + "_" + suffix] == nil {
                references[relationship.name + "_" + suffix] = (relationship, suffix)
            }
        }
        self.references = references
        writeOrder = type.storedAttributes.map(\.name) + type.belongsTo.compactMap(\.foreignKey)
    }
}
