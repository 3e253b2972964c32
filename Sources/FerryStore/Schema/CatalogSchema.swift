import FerryCore

/// The SQL layout of a catalog: one table per resource type named after it, a `<relationship>_id`
/// column per belongs-to relationship, a join table per many-to-many relationship, and indexes
/// on ids, natural keys and foreign keys.
public struct CatalogSchema: Sendable {
    /// The catalog laid out.
    public let catalog: ResourceCatalog

    /// Creates the layout of a catalog.
    public init(catalog: ResourceCatalog) {
        self.catalog = catalog
    }

    /// The columns of a type's table, in order: stored attributes, then foreign keys.
    public static func columns(of type: ResourceType) -> [String] {
        columnDefinitions(of: type).map(\.name)
    }

    /// The SQL type of an attribute's column.
    static func sqlType(of type: AttributeType) -> String {
        switch type {
        case .string, .datetime, .object, .array: return "TEXT"
        case .integer, .boolean: return "INTEGER"
        case .float: return "REAL"
        }
    }

    /// `CREATE TABLE` statements for every type and join table, in dependency order.
    public func createTableStatements() throws -> [String] {
        try catalog.dependencyOrder().map(Self.createTableStatement) + joinTables.map(\.createSQL)
    }

    /// The `CREATE TABLE` statement of a type's table.
    static func createTableStatement(for type: ResourceType) -> String {
        let lines = columnDefinitions(of: type).map { "\(quoted($0.name)) \($0.definition)\($0.isNotNull ? " NOT NULL" : "")\($0.references)" }
        return "CREATE TABLE \(quoted(type.name)) (\n  " + lines.joined(separator: ",\n  ") + "\n)"
    }

    /// One column of a type's table, as ``createTableStatement(for:)`` and a schema upgrade declare it.
    struct ColumnDefinition {
        /// The column's name.
        var name: String
        /// Its SQL type.
        var definition: String
        /// Whether the table refuses nulls in it (only a new table can say so: SQLite adds a
        /// column to an existing table only as nullable).
        var isNotNull: Bool
        /// The ` REFERENCES …` clause of a foreign key, else empty.
        var references: String

        /// The clause of `ALTER TABLE … ADD COLUMN`.
        var addColumnSQL: String { "\(quoted(name)) \(definition)\(references)" }
    }

    /// The columns of a type's table with their definitions: stored attributes, then foreign keys.
    static func columnDefinitions(of type: ResourceType) -> [ColumnDefinition] {
        type.storedAttributes.map { ColumnDefinition(name: $0.name, definition: sqlType(of: $0.type), isNotNull: $0.isRequired, references: "") }
            + type.belongsTo.compactMap { relationship in
                relationship.foreignKey.map {
                    ColumnDefinition(name: $0, definition: "TEXT", isNotNull: relationship.isRequired, references: " REFERENCES \(quoted(relationship.target))(\"id\")")
                }
            }
    }

    /// A many-to-many join table.
    public struct JoinTable: Hashable, Sendable {
        /// The join table's name (`skus_tags`).
        public var table: String
        /// The owning type (`skus`).
        public var owner: String
        /// The column pointing at the owner (`sku_id`).
        public var ownKey: String
        /// The target type (`tags`).
        public var target: String
        /// The column pointing at the target (`tag_id`).
        public var targetKey: String

        /// The `CREATE TABLE` statement.
        var createSQL: String {
            """
            CREATE TABLE \(quoted(table)) (
              \(quoted(ownKey)) TEXT NOT NULL REFERENCES \(quoted(owner))("id") ON DELETE CASCADE,
              \(quoted(targetKey)) TEXT NOT NULL REFERENCES \(quoted(target))("id") ON DELETE CASCADE,
              PRIMARY KEY (\(quoted(ownKey)), \(quoted(targetKey)))
            ) WITHOUT ROWID
            """
        }
    }

    /// Every join table of the catalog.
    public var joinTables: [JoinTable] {
        catalog.types.flatMap { type in
            type.relationships.compactMap { relationship -> JoinTable? in
                guard case .manyToMany(let table, let ownKey, let targetKey) = relationship.kind else { return nil }
                return JoinTable(table: table, owner: type.name, ownKey: ownKey, target: relationship.target, targetKey: targetKey)
            }
        }
    }

    /// Every index: unique on `id` and on the natural key, plain on foreign keys and on the
    /// join tables' target column.
    public var indexes: [IndexDefinition] {
        var indexes: [IndexDefinition] = []
        for type in catalog.types {
            indexes.append(IndexDefinition(name: "\(type.name)_id", table: type.name, columns: ["id"], isUnique: true))
            let keyColumns = Self.naturalKeyColumns(of: type)
            indexes.append(IndexDefinition(name: "\(type.name)_natural_key", table: type.name, columns: keyColumns, isUnique: true))
            for relationship in type.belongsTo {
                guard let key = relationship.foreignKey, keyColumns.first != key else { continue }
                indexes.append(IndexDefinition(name: "\(type.name)_\(key)", table: type.name, columns: [key], isUnique: false))
            }
        }
        for join in joinTables {
            indexes.append(IndexDefinition(name: "\(join.table)_\(join.targetKey)", table: join.table, columns: [join.targetKey], isUnique: false))
        }
        return indexes
    }

    /// The columns that hold a type's natural key.
    public static func naturalKeyColumns(of type: ResourceType) -> [String] {
        switch type.naturalKey {
        case .contentHash:
            return [NaturalKey.contentHashColumn]
        case .parts(let parts):
            return parts.compactMap { part in
                switch part {
                case .attribute(let name): return name
                case .relationship(let name): return type.relationship(named: name)?.foreignKey
                }
            }
        }
    }
}
