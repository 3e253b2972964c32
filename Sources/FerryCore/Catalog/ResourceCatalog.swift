/// The set of resource types Ferry knows, keyed by their plural name.
///
/// The catalog drives table layout, filter validation, include paths, dry data, CSV columns,
/// import matching and the OpenAPI document. ``ResourceCatalog/commerce`` is the built-in one.
public struct ResourceCatalog: Sendable {
    /// The types, in declaration order.
    public let types: [ResourceType]
    private let index: [String: Int]

    /// Creates a catalog, checking that every relationship names a known type and a known inverse.
    public init(_ types: [ResourceType]) throws(CatalogError) {
        self.types = types
        var index: [String: Int] = [:]
        for (i, type) in types.enumerated() {
            guard index.updateValue(i, forKey: type.name) == nil else { throw .duplicateType(type.name) }
        }
        self.index = index
        for type in types {
            for relationship in type.relationships {
                guard let target = index[relationship.target].map({ types[$0] }) else {
                    throw .unknownTarget(type: type.name, relationship: relationship.name, target: relationship.target)
                }
                if case .hasMany(let inverse) = relationship.kind,
                   target.relationship(named: inverse)?.isToOne != true
                {
                    throw .unknownInverse(type: type.name, relationship: relationship.name, inverse: inverse)
                }
            }
        }
        _ = try dependencyOrder()
    }

    /// The type named (plural, `skus`), if any.
    public subscript(name: String) -> ResourceType? {
        index[name].map { types[$0] }
    }

    /// The type named, or a typed error listing the valid names.
    public func type(named name: String) throws(CatalogError) -> ResourceType {
        guard let type = self[name] else { throw .unknownType(name, valid: types.map(\.name)) }
        return type
    }

    /// Every type, ordered so that each comes after the types its belongs-to relationships
    /// point at: the order in which a whole dataset is created or imported.
    public func dependencyOrder() throws(CatalogError) -> [ResourceType] {
        var ordered: [ResourceType] = []
        var state: [String: Bool] = [:]  // false: visiting, true: done
        func visit(_ type: ResourceType, path: [String]) throws(CatalogError) {
            if let done = state[type.name] {
                if !done { throw .dependencyCycle(path + [type.name]) }
                return
            }
            state[type.name] = false
            for dependency in type.dependencies where dependency != type.name {
                guard let target = self[dependency] else { continue }
                try visit(target, path: path + [type.name])
            }
            state[type.name] = true
            ordered.append(type)
        }
        for type in types { try visit(type, path: []) }
        return ordered
    }
}

/// A fault in a catalog definition or a lookup in it.
public enum CatalogError: Error, Hashable, Sendable, CustomStringConvertible {
    case duplicateType(String)
    case unknownType(String, valid: [String])
    case unknownTarget(type: String, relationship: String, target: String)
    case unknownInverse(type: String, relationship: String, inverse: String)
    case dependencyCycle([String])

    public var description: String {
        switch self {
        case .duplicateType(let name): return "resource type '\(name)' is defined twice"
        case .unknownType(let name, let valid):
            return "unknown resource type '\(name)'; valid types: \(valid.joined(separator: ", "))"
        case .unknownTarget(let type, let relationship, let target):
            return "\(type).\(relationship) points at unknown type '\(target)'"
        case .unknownInverse(let type, let relationship, let inverse):
            return "\(type).\(relationship) names inverse '\(inverse)', which is not a belongs-to relationship of its target"
        case .dependencyCycle(let path):
            return "belongs-to relationships form a cycle: \(path.joined(separator: " → "))"
        }
    }
}
