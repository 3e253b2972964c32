import FerryCore

/// The name a top-level input's errors are logged under (SPEC §3): its natural key as the input
/// gave it — `SKU-001` for a SKU, `SKU-001/eur-retail` for a price (the parts of a composite key
/// joined by `/`, a part given by `parent_resource_id` left out) — or nil when it gave none (an
/// address, keyed by a content hash, or an input missing its key), and its index names it.
enum InputLabel {
    /// The key of a prepared input of `type`, from what it gave: its key attributes, the
    /// `<rel>_<key>` components or nested record naming each related record of the key, else
    /// that record's id.
    static func key(_ p: Prepared, type: ResourceType, index: FieldIndex, catalog: ResourceCatalog, parentID: String?) -> String? {
        guard case .parts(let parts) = type.naturalKey else { return nil }
        var pieces: [String] = []
        for part in parts {
            switch part {
            case .attribute(let name):
                if let slot = index.slots[name], let value = p.values[slot] { pieces += text(value).map { [$0] } ?? [] }
            case .relationship(let name):
                let given = p.keys.filter { $0.relationship == name }.compactMap { text($0.value) }
                if !given.isEmpty {
                    pieces += given
                } else if let nested = p.nestedOne[name], let target = type.relationship(named: name).flatMap({ catalog[$0.target] }),
                          case .parts(let targetParts) = target.naturalKey
                {
                    pieces += targetParts.compactMap { part in
                        if case .attribute(let attribute) = part { nested[attribute].flatMap(text) } else { nil }
                    }
                } else if let key = type.relationship(named: name)?.foreignKey, let slot = index.slots[key],
                          let id = p.values[slot]?.stringValue, id != parentID
                {
                    pieces.append(id)
                }
            }
        }
        return pieces.isEmpty ? nil : pieces.joined(separator: "/")
    }

    /// A key part as text: a string as it is, a number as written; nil for null or an empty string.
    private static func text(_ value: Value) -> String? {
        switch value {
        case .null: nil
        case .string(let s): s.isEmpty ? nil : s
        case .int(let i): String(i)
        default: value.jsonValue.jsonText
        }
    }
}
