import GRDB

/// A piece of SQL text with its bound arguments. Values only ever travel as arguments.
public struct SQLFragment: Sendable {
    /// The SQL text, with `?` placeholders.
    public var sql: String
    /// The arguments, in placeholder order.
    public var arguments: [DatabaseValue]

    /// Creates a fragment.
    public init(_ sql: String, _ arguments: [DatabaseValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }

    /// The constant true condition.
    public static let alwaysTrue = SQLFragment("1")

    /// The conjunction of fragments; true when there are none.
    public static func and(_ fragments: [SQLFragment]) -> SQLFragment {
        join(fragments, with: " AND ", empty: "1")
    }

    /// The disjunction of fragments; false when there are none.
    public static func or(_ fragments: [SQLFragment]) -> SQLFragment {
        join(fragments, with: " OR ", empty: "0")
    }

    private static func join(_ fragments: [SQLFragment], with separator: String, empty: String) -> SQLFragment {
        guard !fragments.isEmpty else { return SQLFragment(empty) }
        if fragments.count == 1 { return fragments[0] }
        return SQLFragment(
            "(" + fragments.map(\.sql).joined(separator: separator) + ")", fragments.flatMap(\.arguments))
    }

    /// The arguments as GRDB statement arguments.
    public var statementArguments: StatementArguments { StatementArguments(arguments) }
}
