import FerryCore
import FerryStore

/// Transform `dry-data` (SPEC §5): makes records replayable into another dataset. Drops `id`,
/// server-made and computed fields and every null or empty value; replaces each belongs-to
/// `<rel>_id` by the related record's natural key (`sku_code`, `price_list_code`), looked up for
/// the whole batch at once; applies the same to included records, where a has-many record loses
/// the key that points back at its parent (the nesting says it). A record whose type has no
/// business key of its own (an address, keyed by a hash of its content) is nested whole instead,
/// so it survives transforms that change its content, such as `anonymize`.
public struct DryDataTransform: RecordStage {
    /// The dataset the natural keys are read from.
    public let dataset: Dataset
    /// The type of the records.
    public let type: ResourceType

    /// Creates the stage.
    public init(dataset: Dataset, type: ResourceType) {
        self.dataset = dataset
        self.type = type
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        try dry(records, of: type, droppingKey: nil)
    }

    /// Belongs-to relationships of `type` whose target is keyed by content: nested, not referenced.
    static func nestedByContent(_ type: ResourceType, catalog: ResourceCatalog) -> [Relationship] {
        type.belongsTo.filter { catalog[$0.target]?.naturalKey == .contentHash }
    }

    /// What a field of a record being dried is.
    private enum FieldRole {
        /// An attribute, kept when it is taken from input.
        case attribute(isInput: Bool)
        /// A relationship, given nested.
        case relationship(Relationship)
        /// A belongs-to relationship's foreign key, replaced by the target's natural key.
        case foreignKey(Relationship)
        /// A field another stage added.
        case other
    }

    private func dry(_ records: [Record], of type: ResourceType, droppingKey: String?) throws -> [Record] {
        let catalog = dataset.catalog
        var records = records
        let contentKeyed = Self.nestedByContent(type, catalog: catalog).filter { relationship in
            relationship.foreignKey != droppingKey && records.contains { if case .record? = $0[relationship.name] { false } else { $0[relationship.foreignKey!]?.stringValue != nil } }
        }
        if !contentKeyed.isEmpty {
            let tree = try IncludeTree(paths: contentKeyed.map(\.name), type: type, catalog: catalog)
            records = try RelatedRecordLoader(dataset: dataset).include(tree, into: records, of: type)
        }
        let lookup = NaturalKeyLookup(dataset: dataset)
        var keys: [String: [String: [NaturalKeyLookup.Component]]] = [:]
        for relationship in type.belongsTo {
            guard let fk = relationship.foreignKey, fk != droppingKey, let target = catalog[relationship.target],
                  target.naturalKey != .contentHash
            else { continue }
            let ids = records.compactMap { $0[fk]?.stringValue }
            if !ids.isEmpty { keys[fk] = try lookup.keys(of: target, ids: ids) }
        }
        // Nested records are dried per relationship for the whole batch.
        var nested: [String: [Record]] = [:]
        for relationship in type.relationships {
            guard let target = catalog[relationship.target] else { continue }
            var all: [Record] = []
            for record in records {
                switch record[relationship.name] {
                case .record(let r)?: all.append(r)
                case .records(let rs)?: all += rs
                default: break
                }
            }
            guard !all.isEmpty else { continue }
            var inverse: String?
            if case .hasMany(let name) = relationship.kind { inverse = target.relationship(named: name)?.foreignKey }
            nested[relationship.name] = try dry(all, of: target, droppingKey: inverse)
        }
        var offsets: [String: Int] = [:]
        // What each field name is, by position (see `NameMemo`): searching the type's attributes
        // and relationships by name for every field of every record was a fifth of a duplication.
        let belongsTo = type.belongsTo
        var roles = NameMemo<FieldRole>()
        func role(_ name: String) -> FieldRole {
            if let attribute = type.attribute(named: name) { return .attribute(isInput: attribute.isInput) }
            if let relationship = type.relationship(named: name) { return .relationship(relationship) }
            if let relationship = belongsTo.first(where: { $0.foreignKey == name }) { return .foreignKey(relationship) }
            return .other
        }
        return records.map { record in
            var out = Record()
            for (position, (name, value)) in record.fields.enumerated() {
                let role = roles.meaning(of: name, at: position, lookUp: role)
                if case .attribute(let isInput) = role {
                    if isInput && !value.isBlank { out.append(name, value) }
                    continue
                }
                if case .relationship(let relationship) = role {
                    guard let dried = nested[name] else { continue }
                    switch value {
                    case .record:
                        let i = offsets[name, default: 0]
                        offsets[name] = i + 1
                        out.append(name, .record(dried[i]))
                    case .records(let rs):
                        let i = offsets[name, default: 0]
                        offsets[name] = i + rs.count
                        guard !rs.isEmpty else { break }
                        var slice = Array(dried[i..<(i + rs.count)])
                        if case .manyToMany = relationship.kind {
                            // Linked records (tags) are shared and get ids in whatever order a dataset first
                            // met them; ordering them by content keeps dry data the same in every dataset.
                            slice.sort { $0.jsonValue.jsonText < $1.jsonValue.jsonText }
                        }
                        out.append(name, .records(slice))
                    default: break
                    }
                    continue
                }
                if case .foreignKey(let relationship) = role {
                    // Content-keyed relations travel nested; others as their natural key.
                    guard name != droppingKey, let id = value.stringValue, let components = keys[name]?[id] else { continue }
                    for component in components where !component.value.isBlank {
                        // An attribute of the same name (orders' `customer_email`) already stands for the relationship.
                        let field = relationship.name + "_" + component.suffix
                        if out[field] == nil { out.append(field, component.value) }
                    }
                    continue
                }
                if !value.isBlank { out.append(name, value) }  // fields added by other stages
            }
            return out
        }
    }

    public func outputShape(for input: RecordShape?) -> RecordShape? {
        input.map { Self.dry($0, type: type, catalog: dataset.catalog, droppingKey: nil) }
    }

    static func dry(_ shape: RecordShape, type: ResourceType, catalog: ResourceCatalog, droppingKey: String?) -> RecordShape {
        RecordShape(shape.fields.flatMap { field -> [RecordShape.Field] in
            if let attribute = type.attribute(named: field.name) { return attribute.isInput ? [field] : [] }
            if let relationship = type.relationship(named: field.name), let target = catalog[relationship.target] {
                var inverse: String?
                if case .hasMany(let name) = relationship.kind { inverse = target.relationship(named: name)?.foreignKey }
                switch field.kind {
                case .one(let nested): return [.init(field.name, .one(dry(nested, type: target, catalog: catalog, droppingKey: inverse)))]
                case .many(let nested): return [.init(field.name, .many(dry(nested, type: target, catalog: catalog, droppingKey: inverse)))]
                case .value: return []
                }
            }
            if let relationship = type.belongsTo.first(where: { $0.foreignKey == field.name }), let target = catalog[relationship.target] {
                guard field.name != droppingKey else { return [] }
                if target.naturalKey == .contentHash {
                    guard shape[relationship.name] == nil else { return [] }
                    return [.init(relationship.name, .one(dry(target.exportShape, type: target, catalog: catalog, droppingKey: nil)))]
                }
                return target.naturalKeySuffixes(in: catalog).map { relationship.name + "_" + $0 }
                    .filter { type.attribute(named: $0) == nil }.map { .init($0) }
            }
            return [field]
        })
    }
}
