import FerryCore

/// What an input field of a type can be, worked out once per type instead of once per field of
/// every record: an attribute, a relationship, a foreign key, or a `<rel>_<natural key>`
/// reference — and where each column sits in the slots a prepared input keeps its values in.
final class FieldIndex: Sendable {
    /// The role of an input field. Attributes and references, met in every input, carry only
    /// what preparing needs, in objects: looking a role up then costs one retain, not a copy of
    /// an `Attribute` or `Relationship` and each of their strings.
    enum Role: Sendable {
        /// An attribute.
        case attribute(AttributeRole)
        /// A relationship given nested.
        case relationship(Relationship)
        /// A `<rel>_id` foreign key.
        case foreignKey(Relationship)
        /// A `<rel>_<natural key>` reference.
        case reference(ReferenceRole)
    }

    /// What an input attribute is: whether it is taken from input, its type, its column's slot
    /// (-1 when not stored), and the reference it also makes (orders' `customer_email`).
    final class AttributeRole: Sendable {
        let isInput: Bool
        let type: AttributeType
        let slot: Int
        let reference: ReferenceRole?

        init(_ attribute: Attribute, slot: Int, reference: ReferenceRole?) {
            isInput = attribute.isInput
            type = attribute.type
            self.slot = slot
            self.reference = reference
        }
    }

    /// A natural-key component naming a related record: the belongs-to relationship's name and
    /// the key's suffix (`shipping_category` and `code` for `shipping_category_code`).
    final class ReferenceRole: Sendable {
        let relationship: String
        let suffix: String

        init(relationship: String, suffix: String) {
            self.relationship = relationship
            self.suffix = suffix
        }
    }

    /// Every input field name's role.
    let roles: [String: Role]
    /// Stored input columns in table order, then foreign keys in declaration order: the order
    /// writes list columns in. A prepared input keeps its foreign keys' ids in their slots too.
    let writeOrder: [String]
    /// Each column's slot in ``writeOrder``.
    let slots: [String: Int]
    /// The natural key's columns, with their slots.
    let naturalKey: [(column: String, slot: Int?)]
    /// Whether the natural key is made of the type's own attributes only (no foreign key), and
    /// so known before relationships are resolved.
    let naturalKeyIsIntrinsic: Bool
    /// Required input attributes, with their slots.
    let requiredAttributes: [(name: String, slot: Int)]
    /// Required belongs-to relationships with their foreign keys' slots.
    let requiredRelationships: [(name: String, slot: Int)]
    /// Input attribute slots in name order (what a content hash covers).
    let attributeSlotsByName: [(name: String, slot: Int)]
    /// For each many-to-many relationship whose target is keyed by one attribute (tags by
    /// `name`), that attribute: what a list of names (`"red,blue"`) gives.
    let listKeys: [String: String]

    init(type: ResourceType, catalog: ResourceCatalog) {
        writeOrder = type.storedAttributes.map(\.name) + type.belongsTo.compactMap(\.foreignKey)
        let slots = Dictionary(writeOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        self.slots = slots
        var references: [String: ReferenceRole] = [:]
        for relationship in type.belongsTo {
            guard let target = catalog[relationship.target] else { continue }
            for suffix in target.naturalKeySuffixes(in: catalog) where references[relationship.name + "_" + suffix] == nil {
                references[relationship.name + "_" + suffix] = ReferenceRole(relationship: relationship.name, suffix: suffix)
            }
        }
        var roles: [String: Role] = [:]
        for (name, reference) in references { roles[name] = .reference(reference) }
        for relationship in type.belongsTo { if let key = relationship.foreignKey, roles[key] == nil { roles[key] = .foreignKey(relationship) } }
        for relationship in type.relationships where roles[relationship.name] == nil { roles[relationship.name] = .relationship(relationship) }
        for attribute in type.attributes.reversed() {
            // Attributes win over other roles of the same name; only stored ones have a slot.
            roles[attribute.name] = .attribute(AttributeRole(attribute, slot: slots[attribute.name] ?? -1, reference: references[attribute.name]))
        }
        self.roles = roles
        naturalKey = CatalogSchema.naturalKeyColumns(of: type).map { ($0, slots[$0]) }
        let foreignKeys = Set(type.belongsTo.compactMap(\.foreignKey))
        naturalKeyIsIntrinsic = naturalKey.allSatisfy { !foreignKeys.contains($0.column) }
        requiredAttributes = type.attributes.filter { $0.isRequired && $0.isInput }.map { ($0.name, slots[$0.name] ?? -1) }
        requiredRelationships = type.belongsTo.filter(\.isRequired).compactMap { r in r.foreignKey.flatMap { slots[$0] }.map { (r.name, $0) } }
        attributeSlotsByName = type.storedAttributes.filter(\.isInput).map { ($0.name, slots[$0.name]!) }.sorted { $0.name < $1.name }
        var listKeys: [String: String] = [:]
        for relationship in type.relationships {
            guard case .manyToMany = relationship.kind, let target = catalog[relationship.target],
                  case .parts(let parts) = target.naturalKey, parts.count == 1, case .attribute(let key) = parts[0]
            else { continue }
            listKeys[relationship.name] = key
        }
        self.listKeys = listKeys
    }
}
