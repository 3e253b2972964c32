import FerryCore

/// A tree of relationships to load with records, parsed from dotted paths
/// (`prices.price_tiers`, `stock_items`), at most ``maximumDepth`` levels deep.
public struct IncludeTree: Hashable, Sendable {
    /// The relationships at this level, in the order first named, each with what to load below it.
    public var children: [(name: String, tree: IncludeTree)]

    /// How deep an include path may go.
    public static let maximumDepth = 3

    /// An empty tree.
    public init() {
        children = []
    }

    public static func == (lhs: IncludeTree, rhs: IncludeTree) -> Bool {
        lhs.children.map(\.name) == rhs.children.map(\.name) && zip(lhs.children, rhs.children).allSatisfy { $0.tree == $1.tree }
    }

    public func hash(into hasher: inout Hasher) {
        for child in children {
            hasher.combine(child.name)
            hasher.combine(child.tree)
        }
    }

    /// Whether nothing is included.
    public var isEmpty: Bool { children.isEmpty }

    /// Parses dotted paths against a type, refusing unknown relationships and paths too deep.
    public init(paths: [String], type: ResourceType, catalog: ResourceCatalog) throws(IncludeError) {
        self.init()
        for path in paths {
            let parts = path.split(separator: ".").map(String.init)
            guard !parts.isEmpty, parts.count <= Self.maximumDepth else { throw .tooDeep(path: path) }
            try add(parts[...], path: path, type: type, catalog: catalog)
        }
    }

    private mutating func add(_ parts: ArraySlice<String>, path: String, type: ResourceType, catalog: ResourceCatalog) throws(IncludeError) {
        guard let name = parts.first else { return }
        guard let relationship = type.relationship(named: name), let target = catalog[relationship.target] else {
            throw .unknownRelationship(path: path, name: name, type: type.name, valid: type.relationships.map(\.name))
        }
        if let index = children.firstIndex(where: { $0.name == name }) {
            try children[index].tree.add(parts.dropFirst(), path: path, type: target, catalog: catalog)
        } else {
            var tree = IncludeTree()
            try tree.add(parts.dropFirst(), path: path, type: target, catalog: catalog)
            children.append((name, tree))
        }
    }
}

/// An include path that cannot be followed.
public enum IncludeError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownRelationship(path: String, name: String, type: String, valid: [String])
    case tooDeep(path: String)

    /// The offending path.
    public var path: String {
        switch self {
        case .unknownRelationship(let path, _, _, _), .tooDeep(let path): return path
        }
    }

    public var description: String {
        switch self {
        case .unknownRelationship(let path, let name, let type, let valid):
            return "include '\(path)': \(type) has no relationship '\(name)'; valid: \(valid.joined(separator: ", "))"
        case .tooDeep(let path):
            return "include '\(path)' is deeper than \(IncludeTree.maximumDepth) levels"
        }
    }
}
