import FerryCore

/// The key work of a batch that needs no database: which inputs name which related records by
/// natural key (each distinct set of components once), each input's own natural key, and which
/// inputs share a key with another input of the batch.
///
/// For a type whose natural key is made of its own attributes (a SKU's `code`) all of it is known
/// before the batch is written, so an ``ImportPreparer`` works it out ahead, on another task; for
/// one whose key holds relationships (a price's SKU and price list) the keys wait for the
/// relationships to be resolved, and the writer works them out itself.
struct InputKeys: Sendable {
    /// The inputs that name a related record by natural key, for one belongs-to relationship.
    struct References: Sendable {
        /// The inputs, by position in the batch.
        var owners: [Int]
        /// Each distinct set of key components, once.
        var distinct: [[String: Value]]
        /// For each owner, its components' position in ``distinct``.
        var positions: [Int]
    }

    /// By relationship name, the inputs that name its record by key (and gave no id).
    var references: [String: References]
    /// Each input's natural key (a missing part as `''`), or nil for an input with none; nil
    /// until the relationships in the key are resolved.
    var naturalKeys: [[Value]?]?
    /// Whether each input's natural key is also another input's in the batch (what a batch must
    /// watch for: the second one updates the record the first creates).
    var repeated: [Bool]?

    /// Works out what can be known of `prepared` inputs of `type` before any database lookup.
    init(_ prepared: [Prepared], type: ResourceType, index: FieldIndex) {
        references = Self.references(prepared, type: type, index: index)
        if index.naturalKeyIsIntrinsic {
            let keys = prepared.map { Self.naturalKey(index, $0) }
            naturalKeys = keys
            repeated = Self.repeated(keys)
        }
    }

    /// The key components an input gives for one relationship, hashable without building a
    /// dictionary for the common case of a single component.
    enum Components: Hashable {
        case one(suffix: String, value: Value)
        case many([String: Value])

        /// The components of `relationship` among `keys`; nil when there are none.
        init?(_ keys: [(relationship: String, suffix: String, value: Value)], of relationship: String) {
            var found: (suffix: String, value: Value)?
            var more: [String: Value]?
            for key in keys where key.relationship == relationship {
                if let first = found {
                    if more == nil { more = [first.suffix: first.value] }
                    more![key.suffix] = key.value
                } else {
                    found = (key.suffix, key.value)
                }
            }
            if let more {
                self = .many(more)
            } else if let found {
                self = .one(suffix: found.suffix, value: found.value)
            } else {
                return nil
            }
        }

        /// The components by suffix.
        var dictionary: [String: Value] {
            switch self {
            case .one(let suffix, let value): [suffix: value]
            case .many(let components): components
            }
        }
    }

    /// The inputs that name a record of each belongs-to relationship by its key and give no id.
    static func references(_ prepared: [Prepared], type: ResourceType, index: FieldIndex) -> [String: References] {
        var result: [String: References] = [:]
        for relationship in type.belongsTo {
            guard let key = relationship.foreignKey, let slot = index.slots[key] else { continue }
            var group = References(owners: [], distinct: [], positions: [])
            // Many inputs name the same few records (a shipping category, a price list): each once.
            var position: [Components: Int] = [:]
            for (i, p) in prepared.enumerated() where p.values[slot] == nil {
                guard let components = Components(p.keys, of: relationship.name) else { continue }
                group.owners.append(i)
                if let known = position[components] {
                    group.positions.append(known)
                } else {
                    position[components] = group.distinct.count
                    group.positions.append(group.distinct.count)
                    group.distinct.append(components.dictionary)
                }
            }
            if !group.owners.isEmpty { result[relationship.name] = group }
        }
        return result
    }

    /// The natural key values of a prepared input (a missing part as `''`), or nil when it has
    /// no part at all.
    static func naturalKey(_ index: FieldIndex, _ p: Prepared) -> [Value]? {
        var key: [Value] = []
        key.reserveCapacity(index.naturalKey.count)
        for (_, slot) in index.naturalKey {
            if let slot, let value = p.values[slot], !value.isNull {
                key.append(value)
            } else {
                key.append(.string(""))
            }
        }
        return key.allSatisfy { $0 == .string("") } ? nil : key
    }

    /// Whether each key is held by more than one input.
    static func repeated(_ keys: [[Value]?]) -> [Bool] {
        var seen: [[Value]: Int] = [:]
        for case let key? in keys { seen[key, default: 0] += 1 }
        guard seen.count < keys.count else { return Array(repeating: false, count: keys.count) }
        return keys.map { key in key.map { seen[$0, default: 0] > 1 } ?? false }
    }
}
