import FerryCore
import GRDB

/// Compiles a type's ``MarketScope`` into a condition that keeps the records a set of markets may see.
public struct MarketScopeSQL: Sendable {
    /// The catalog whose scopes are compiled.
    public let catalog: ResourceCatalog

    /// Creates a compiler.
    public init(catalog: ResourceCatalog) {
        self.catalog = catalog
    }

    /// The condition restricting `type` (aliased `alias`) to the markets whose ids are given.
    public func condition(for type: ResourceType, marketIDs: [String], alias: String? = nil) throws -> SQLFragment {
        var counter = 0
        return try condition(type, alias: alias ?? type.name, marketIDs: marketIDs, counter: &counter)
    }

    private func condition(_ type: ResourceType, alias: String, marketIDs: [String], counter: inout Int) throws -> SQLFragment {
        let ids = marketIDs.map(\.databaseValue)
        let marks = Array(repeating: "?", count: marketIDs.count).joined(separator: ", ")
        guard !marketIDs.isEmpty || type.marketScope == .unscoped else { return SQLFragment("0") }
        switch type.marketScope {
        case .unscoped:
            return .alwaysTrue
        case .market:
            return SQLFragment("\(quoted(alias)).\"id\" IN (\(marks))", ids)
        case .referencedByMarket(let column):
            return SQLFragment(
                "\(quoted(alias)).\"id\" IN (SELECT \(quoted(column)) FROM \"markets\" WHERE \"id\" IN (\(marks)))", ids)
        case .through(let name):
            guard let relationship = type.relationship(named: name), let key = relationship.foreignKey else {
                throw StoreError.invalidScope(type: type.name, relationship: name)
            }
            let target = try catalog.type(named: relationship.target)
            counter += 1
            let inner = "s\(counter)"
            let nested = try condition(target, alias: inner, marketIDs: marketIDs, counter: &counter)
            return SQLFragment(
                "\(quoted(alias)).\(quoted(key)) IN (SELECT \(quoted(inner)).\"id\" FROM \(quoted(target.name)) AS \(quoted(inner)) WHERE \(nested.sql))",
                nested.arguments)
        case .throughAny(let name):
            guard let relationship = type.relationship(named: name), case .hasMany(let inverse) = relationship.kind else {
                throw StoreError.invalidScope(type: type.name, relationship: name)
            }
            let target = try catalog.type(named: relationship.target)
            guard let key = target.relationship(named: inverse)?.foreignKey else {
                throw StoreError.invalidScope(type: type.name, relationship: name)
            }
            counter += 1
            let inner = "s\(counter)"
            let nested = try condition(target, alias: inner, marketIDs: marketIDs, counter: &counter)
            return SQLFragment(
                "\(quoted(alias)).\"id\" IN (SELECT \(quoted(inner)).\(quoted(key)) FROM \(quoted(target.name)) AS \(quoted(inner)) WHERE \(nested.sql))",
                nested.arguments)
        }
    }
}
