import FerryCore
import FerryStore

/// Which fields to keep, as an export's `fields` names them (SPEC §2): `code`, `prices.amount_cents`,
/// `prices.*`, `*`. Naming a relationship's field keeps (and includes) that relationship.
public struct FieldSelection: Hashable, Sendable {
    /// Whether every field at this level is kept.
    public var all: Bool
    /// The plain fields kept at this level, in the order named.
    public var names: [String]
    /// Relationships kept, with what to keep of them.
    public var children: [String: FieldSelection]
    /// Relationship names in the order first named.
    public var childOrder: [String]

    init() {
        all = false
        names = []
        children = [:]
        childOrder = []
    }

    /// Parses field paths against a type, refusing unknown fields and relationships.
    public init(paths: [String], type: ResourceType, catalog: ResourceCatalog) throws(FieldSelectionError) {
        self.init()
        for path in paths {
            try add(path.split(separator: ".").map(String.init)[...], path: path, type: type, catalog: catalog, depth: 0)
        }
        if names.isEmpty && !childOrder.isEmpty { all = true }  // only related fields named: keep the main record whole
    }

    private mutating func add(_ parts: ArraySlice<String>, path: String, type: ResourceType, catalog: ResourceCatalog, depth: Int) throws(FieldSelectionError) {
        guard let first = parts.first else { throw .unknownField(path: path, type: type.name, valid: []) }
        if parts.count == 1 {
            if first == "*" {
                all = true
                return
            }
            let valid = type.exportShape.names + type.relationships.map(\.name)
            guard valid.contains(first) else { throw .unknownField(path: path, type: type.name, valid: valid) }
            if let relationship = type.relationship(named: first) {
                var child = children[relationship.name] ?? FieldSelection()
                child.all = true
                if children[relationship.name] == nil { childOrder.append(relationship.name) }
                children[relationship.name] = child
            } else if !names.contains(first) {
                names.append(first)
            }
            return
        }
        guard depth < IncludeTree.maximumDepth - 1, let relationship = type.relationship(named: first), let target = catalog[relationship.target] else {
            throw .unknownField(path: path, type: type.name, valid: type.relationships.map(\.name))
        }
        var child = children[first] ?? FieldSelection()
        try child.add(parts.dropFirst(), path: path, type: target, catalog: catalog, depth: depth + 1)
        if children[first] == nil { childOrder.append(first) }
        children[first] = child
    }

    /// The include paths the selection needs (`prices`, `prices.price_tiers`).
    public var includePaths: [String] {
        childOrder.flatMap { name -> [String] in
            let nested = children[name]?.includePaths ?? []
            return [name] + nested.map { name + "." + $0 }
        }
    }

    /// Applies the selection to a record.
    public func apply(_ record: Record) -> Record {
        var out = Record()
        for (name, value) in record.fields {
            if let child = children[name] {
                switch value {
                case .record(let nested): out.append(name, .record(child.apply(nested)))
                case .records(let nested): out.append(name, .records(nested.map(child.apply)))
                default: out.append(name, value)
                }
            } else if all || names.contains(name) {
                out.append(name, value)
            }
        }
        return out
    }

    /// Applies the selection to a shape.
    public func apply(_ shape: RecordShape) -> RecordShape {
        RecordShape(shape.fields.compactMap { field in
            if let child = children[field.name] {
                switch field.kind {
                case .one(let nested): return .init(field.name, .one(child.apply(nested)))
                case .many(let nested): return .init(field.name, .many(child.apply(nested)))
                case .value: return field
                }
            }
            return all || names.contains(field.name) ? field : nil
        })
    }
}

/// A `fields` entry that names nothing real.
public enum FieldSelectionError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownField(path: String, type: String, valid: [String])

    /// The offending entry.
    public var path: String {
        switch self { case .unknownField(let path, _, _): return path }
    }

    public var description: String {
        switch self {
        case .unknownField(let path, let type, let valid):
            return "field '\(path)': not a field of \(type); valid: \(valid.joined(separator: ", "))"
        }
    }
}

/// Transform `fields`: keeps only the named fields of the records and of their included relations.
public struct FieldsTransform: RecordStage {
    /// The selection.
    public let selection: FieldSelection

    /// Creates the stage.
    public init(selection: FieldSelection) {
        self.selection = selection
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        records.map(selection.apply)
    }

    public func outputShape(for input: RecordShape?) -> RecordShape? {
        input.map(selection.apply)
    }
}
