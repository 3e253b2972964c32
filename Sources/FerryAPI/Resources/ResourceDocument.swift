import FerryCore

/// Renders commerce records as JSON:API resource objects: attributes (sparse when
/// `fields[type]` says so), belongs-to relationships as resource identifiers, included
/// relationships as identifiers whose records go, once each, into the document's `included`.
struct ResourceDocument {
    let catalog: ResourceCatalog
    let mode: DatasetMode
    let base: String
    let fields: [String: [String]]

    /// Resource objects for `records` of `type`, collecting nested (included) records into `included`.
    func resources(_ records: [Record], of type: ResourceType, included: inout Included) -> [JSONValue] {
        records.map { resource($0, of: type, included: &included) }
    }

    /// The records of the document's `included` member, once each, in the order first met.
    struct Included {
        private(set) var objects: [JSONValue] = []
        private var seen: Set<String> = []

        /// Whether `key` (`type/id`) is new; marks it as seen.
        mutating func claim(_ key: String) -> Bool { seen.insert(key).inserted }

        /// Keeps a place for an object, so a record comes before the records it includes in turn.
        mutating func reserve() -> Int {
            objects.append(.null)
            return objects.count - 1
        }

        mutating func fill(_ slot: Int, with object: JSONValue) { objects[slot] = object }
    }

    /// What each field of a type's records is, worked out once per type and document rather than
    /// once per record.
    final class Roles {
        struct OfType {
            let foreignKeys: [String: Relationship]
            let targets: [String: ResourceType]
            let wanted: Set<String>?
        }

        private var byType: [String: OfType] = [:]

        func of(_ type: ResourceType, catalog: ResourceCatalog, fields: [String]?) -> OfType {
            if let known = byType[type.name] { return known }
            var targets: [String: ResourceType] = [:]
            for relationship in type.relationships { targets[relationship.name] = catalog[relationship.target] }
            let roles = OfType(
                foreignKeys: Dictionary(type.belongsTo.compactMap { r in r.foreignKey.map { ($0, r) } }, uniquingKeysWith: { a, _ in a }),
                targets: targets, wanted: fields.map(Set.init))
            byType[type.name] = roles
            return roles
        }
    }

    private let roles = Roles()

    init(catalog: ResourceCatalog, mode: DatasetMode, base: String, fields: [String: [String]]) {
        self.catalog = catalog
        self.mode = mode
        self.base = base
        self.fields = fields
    }

    func resource(_ record: Record, of type: ResourceType, included: inout Included) -> JSONValue {
        let id = record.id ?? ""
        let known = roles.of(type, catalog: catalog, fields: fields[type.name])
        let wanted = known.wanted
        let foreignKeys = known.foreignKeys
        var attributes: [JSONMember] = []
        var relationships: [JSONMember] = []
        for (name, value) in record.fields where name != "id" {
            if foreignKeys[name] != nil { continue }
            if let target = known.targets[name] {
                guard wanted == nil || wanted!.contains(name) else { continue }
                relationships.append(JSONMember(name, .object([JSONMember("data", linkage(value, target: target, included: &included))])))
                continue
            }
            guard wanted == nil || wanted!.contains(name) else { continue }
            attributes.append(JSONMember(name, type.presented(value, of: name)))
        }
        // Belongs-to relationships that were not included still say which record they point at.
        for (key, relationship) in foreignKeys where record[relationship.name] == nil && (wanted == nil || wanted!.contains(relationship.name)) {
            let data: JSONValue = record[key]?.stringValue.map {
                .object([JSONMember("type", .string(relationship.target)), JSONMember("id", .string($0))])
            } ?? .null
            relationships.append(JSONMember(relationship.name, .object([JSONMember("data", data)])))
        }
        relationships.sort { $0.key < $1.key }
        var members: [JSONMember] = [
            JSONMember("id", .string(id)), JSONMember("type", .string(type.name)),
            JSONMember("links", .object([JSONMember("self", .string("\(base)/api/\(type.name)/\(id)"))])),
            JSONMember("attributes", .object(attributes)),
        ]
        if !relationships.isEmpty { members.append(JSONMember("relationships", .object(relationships))) }
        members.append(JSONMember("meta", .object([JSONMember("mode", .string(mode.rawValue))])))
        return .object(members)
    }

    /// The resource linkage of an included relationship, adding its records to `included`.
    private func linkage(_ value: Value, target: ResourceType, included: inout Included) -> JSONValue {
        func identify(_ nested: Record) -> JSONValue {
            let id = nested.id ?? ""
            if included.claim("\(target.name)/\(id)") {
                let slot = included.reserve()
                let object = resource(nested, of: target, included: &included)
                included.fill(slot, with: object)
            }
            return .object([JSONMember("type", .string(target.name)), JSONMember("id", .string(id))])
        }
        switch value {
        case .record(let nested): return identify(nested)
        case .records(let nested): return .array(nested.map(identify))
        default: return .null
        }
    }
}
