import FerryCore

/// The part of importing that needs no database: each input's fields checked against the
/// catalog (roles, types, unknown attributes), typed, and sorted into values, foreign keys,
/// natural-key references and nested records.
///
/// It is `Sendable` and stateless, so a ``PreparingSinkStage`` runs it ahead of the writes, on
/// another task, while the previous batch's transaction runs.
public struct ImportPreparer: Sendable {
    let type: ResourceType
    let index: FieldIndex
    let parentID: String?

    /// Prepares a batch of top-level inputs.
    public func prepare(_ records: [Record]) -> PreparedImportBatch {
        var roles = NameMemo<FieldIndex.Role?>()
        let prepared = records.map { Self.prepare($0, type: type, index: index, parentID: parentID, roles: &roles) }
        return PreparedImportBatch(prepared: prepared, keys: InputKeys(prepared, type: type, index: index))
    }

    /// Checks and types one of a run of inputs of `type`: each field's role, its value's type, and
    /// what it refers to. `fixed` are foreign keys a parent sets; `parentID` (top-level inputs
    /// only) the id given to an input's first belongs-to relationship when it names none; `roles`
    /// remembers what the previous input's field names meant (see `NameMemo`).
    static func prepare(
        _ record: Record, fixed: [String: String] = [:], type: ResourceType, index: FieldIndex, parentID: String?, roles: inout NameMemo<FieldIndex.Role?>
    ) -> Prepared {
        let p = Prepared(values: Array(repeating: nil, count: index.writeOrder.count))
        for (key, id) in fixed { if let slot = index.slots[key] { p.values[slot] = .string(id) } }
        // Commerce Layer's flat layout: `price_tiers.name`, `shipping_category.code` fields, one
        // related record per input, gathered here by relationship.
        var dotted: [(relationship: Relationship, record: Record)] = []
        for (position, (name, value)) in record.fields.enumerated() {
            if name == "id" {
                if case .string(let id) = value { p.givenID = id }
                continue
            }
            if name == InputFault.recordField {
                // Read from bytes that are not UTF-8: refused, nothing of it written.
                if let fault = InputFault(value) { p.errors.append((fault.field ?? "base", fault.description)) }
                continue
            }
            switch roles.meaning(of: name, at: position, lookUp: { index.roles[$0] }) {
            case .attribute(let attribute)?:
                guard attribute.isInput, attribute.slot >= 0 else { continue }  // server-made and computed fields are ignored
                switch Self.typed(value, attribute.type) {
                case .success(let typed): p.values[attribute.slot] = typed
                case .failure(let mismatch): p.errors.append((name, mismatch.message))
                }
                // An attribute named like a reference field (orders' `customer_email`) also links the record.
                if let reference = attribute.reference, !value.isNull {
                    p.setKey(reference.relationship, reference.suffix, value)
                }
            case .relationship(let relationship)?:
                nest(value, under: relationship, into: p, index: index)
            case .foreignKey(let relationship)?:
                switch value {
                case .string(let id): if let slot = index.slots[name] { p.values[slot] = .string(id) }
                case .null: break
                default: p.errors.append((name, "must be the id of a \(relationship.target) record"))
                }
            case .reference(let reference)?:
                guard !value.isNull else { continue }
                p.setKey(reference.relationship, reference.suffix, value)
            case nil:
                if let dot = name.firstIndex(of: "."), case .relationship(let relationship)? = index.roles[String(name[..<dot])] {
                    let field = String(name[name.index(after: dot)...])
                    if let i = dotted.firstIndex(where: { $0.relationship.name == relationship.name }) {
                        dotted[i].record[field] = value
                    } else {
                        dotted.append((relationship, Record(names: [field], values: [value])))
                    }
                } else if let trigger = LinkTrigger.parse(name, value: value, index: index) {
                    switch trigger {
                    case .success(let change): p.linkChanges.append(change)
                    case .failure(let mismatch): p.errors.append((name, mismatch.message))
                    }
                } else {
                    p.errors.append((name, "is not an attribute of \(type.name)"))
                }
            }
        }
        for (relationship, record) in dotted where p.nestedOne[relationship.name] == nil && p.nestedMany[relationship.name] == nil {
            nest(record.fields.allSatisfy({ $0.1.isNull }) ? .null : .record(record), under: relationship, into: p, index: index)
        }
        if let parentID, let key = type.belongsTo.first?.foreignKey, let slot = index.slots[key],
           p.values[slot] == nil, !p.namesByKey(type.belongsTo[0].name), p.nestedOne[type.belongsTo[0].name] == nil
        {
            p.values[slot] = .string(parentID)
        }
        if type.naturalKey == .contentHash, let hashSlot = index.slots[NaturalKey.contentHashColumn] {
            var content = Record()
            for (name, slot) in index.attributeSlotsByName { if let value = p.values[slot] { content.append(name, value) } }
            p.values[hashSlot] = .string(type.contentHash(of: content))
        }
        return p
    }

    /// Sorts a relationship's value into the nested records of `p`: an object for a belongs-to
    /// one; an array of objects for a has-many or many-to-many one — or one object, as Commerce
    /// Layer's flat layout gives one (`price_tiers.name`), and for a many-to-many one a list of
    /// names (`"red,blue"`, or `tags.name` holding it).
    private static func nest(_ value: Value, under relationship: Relationship, into p: Prepared, index: FieldIndex) {
        let name = relationship.name
        switch (relationship.kind, value) {
        case (.belongsTo, .record(let nested)): p.nestedOne[name] = nested
        case (.belongsTo, .null): break
        case (.hasMany, .records(let nested)), (.manyToMany, .records(let nested)): p.nestedMany[name] = nested
        case (.hasMany, .record(let nested)): p.nestedMany[name] = [nested]
        case (.manyToMany, .record(let nested)): p.nestedMany[name] = splitLists(nested)
        case (.manyToMany, .string(let list)):
            if let key = index.listKeys[name] {
                p.nestedMany[name] = LinkTrigger.names(list).map { Record(names: [key], values: [.string($0)]) }
            } else {
                p.errors.append((name, "must be an array of objects"))
            }
        case (_, .json(.array([]))), (_, .null): p.nestedMany[name] = []
        default: p.errors.append((name, "must be \(relationship.isToOne ? "an object" : "an array of objects")"))
        }
    }

    /// One related record whose fields hold comma-separated lists (`tags.name` = `"red,blue"`)
    /// as the records they list: `[{name: red}, {name: blue}]`.
    static func splitLists(_ record: Record) -> [Record] {
        let lists = record.fields.map { field, value -> (String, [Value]) in
            if case .string(let text) = value { return (field, LinkTrigger.names(text).map(Value.string)) }
            return (field, [value])
        }
        let count = lists.map(\.1.count).max() ?? 0
        return (0..<count).map { k in
            let present = lists.filter { k < $0.1.count }
            return Record(names: present.map(\.0), values: present.map { $0.1[k] })
        }
    }

    static func typed(_ value: Value, _ type: AttributeType) -> Result<Value, TypeMismatch> {
        switch (type, value) {
        case (_, .null): return .success(.null)
        case (.string, .string): return .success(value)
        case (.integer, .int): return .success(value)
        case (.integer, .double(let d)) where d == d.rounded() && abs(d) < 9e15: return .success(.int(Int64(d)))
        case (.float, .double): return .success(value)
        case (.float, .int(let i)): return .success(.double(Double(i)))
        case (.boolean, .bool): return .success(value)
        case (.datetime, .timestamp): return .success(value)
        case (.datetime, .string(let s)):
            return Timestamp(iso8601: s).map { .success(.timestamp($0)) } ?? .failure(TypeMismatch("must be an ISO 8601 date-time, not \(s.debugDescription)"))
        case (.object, .json(.object)), (.array, .json(.array)): return .success(value)
        case (.object, .record(let r)): return .success(.json(r.jsonValue))
        default:
            return .failure(TypeMismatch("must be \(type == .integer ? "an integer" : (type == .float ? "a number" : (type == .boolean ? "true or false" : "a \(type.rawValue)"))), not \(value.jsonValue.jsonText)"))
        }
    }

    struct TypeMismatch: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}

/// A batch of inputs an ``ImportPreparer`` checked and typed, ready for ``RecordImporter/importBatch(_:)-(PreparedImportBatch)``.
public struct PreparedImportBatch: Sendable {
    let prepared: [Prepared]
    let keys: InputKeys

    /// The number of inputs.
    public var count: Int { prepared.count }
}

extension ImportPreparer.TypeMismatch: CustomStringConvertible {
    var description: String { message }
}
