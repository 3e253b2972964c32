/// An index the catalog schema declares on a table.
public struct IndexDefinition: Hashable, Sendable {
    /// The index name (`prices_sku_id`).
    public var name: String
    /// The table indexed.
    public var table: String
    /// The columns, in order.
    public var columns: [String]
    /// Whether the index enforces uniqueness.
    public var isUnique: Bool

    /// The `CREATE INDEX` statement.
    public var createSQL: String {
        "CREATE \(isUnique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(quoted(name)) ON \(quoted(table))("
            + columns.map(quoted).joined(separator: ", ") + ")"
    }

    /// The `DROP INDEX` statement.
    public var dropSQL: String { "DROP INDEX IF EXISTS \(quoted(name))" }
}
