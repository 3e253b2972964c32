import FerryCore
import GRDB

/// Compiles a ``Filter`` into a parameterised `WHERE` condition over a type's table.
///
/// Column names come from the catalog only; attributes reached through belongs-to relationships
/// become scalar subqueries, which gives a missing relationship a null value, as an outer join would.
public struct FilterSQLCompiler: Sendable {
    /// The catalog the filter was parsed against.
    public let catalog: ResourceCatalog

    /// Creates a compiler.
    public init(catalog: ResourceCatalog) {
        self.catalog = catalog
    }

    /// The condition for a whole filter, against the table aliased `alias` (default: the table name).
    public func condition(for filter: Filter, alias: String? = nil) -> SQLFragment {
        let alias = alias ?? filter.resourceType
        return .and(filter.conditions.map { condition($0, alias: alias) })
    }

    /// The condition for one filter condition.
    public func condition(_ condition: FilterCondition, alias: String) -> SQLFragment {
        .or(condition.paths.map { path in compile(condition.test, on: expression(for: path, alias: alias)) })
    }

    /// The SQL expression of an attribute path's value.
    func expression(for path: AttributePath, alias: String) -> String {
        var aliasCounter = 0
        func build(_ index: Int, _ outer: String) -> String {
            guard index < path.relationships.count else { return "\(quoted(outer)).\(quoted(path.column))" }
            let relationship = path.relationships[index]
            aliasCounter += 1
            let inner = "f\(aliasCounter)"
            let value = build(index + 1, inner)
            return "(SELECT \(value) FROM \(quoted(relationship.target)) AS \(quoted(inner)) WHERE \(quoted(inner)).\"id\" = \(quoted(outer)).\(quoted(relationship.foreignKey ?? "")))"
        }
        return build(0, alias)
    }

    /// Compiles a value test applied to an SQL expression.
    func compile(_ test: ValueTest, on expression: String) -> SQLFragment {
        switch test {
        case .constant(let b):
            return SQLFragment(b ? "1" : "0")
        case .isNull:
            return SQLFragment("\(expression) IS NULL")
        case .compare(let op, let value):
            return SQLFragment("\(expression) \(op.rawValue) ?", [value.databaseValue])
        case .like(let pattern):
            return SQLFragment("\(expression) LIKE ? ESCAPE '\\'", [pattern.databaseValue])
        case .inList(let values):
            guard !values.isEmpty else { return SQLFragment("0") }
            let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
            return SQLFragment("\(expression) IN (\(marks))", values.map(\.databaseValue))
        case .jsonContains(let pattern):
            return SQLFragment("ferry_jcont(\(expression), ?)", [pattern.jsonText.databaseValue])
        case .not(let inner):
            let compiled = compile(inner, on: expression)
            return SQLFragment("NOT (\(compiled.sql))", compiled.arguments)
        case .all(let tests):
            return .and(tests.map { compile($0, on: expression) })
        case .any(let tests):
            return .or(tests.map { compile($0, on: expression) })
        }
    }
}
