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
        type.storedAttributes.map(\.name) + type.belongsTo.compactMap(\.foreignKey)
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
        var statements: [String] = []
        for type in try catalog.dependencyOrder() {
            var lines: [String] = []
            for attribute in type.storedAttributes {
                let notNull = attribute.isRequired ? " NOT NULL" : ""
                lines.append("\(quoted(attribute.name)) \(Self.sqlType(of: attribute.type))\(notNull)")
            }
            for relationship in type.belongsTo {
                guard let key = relationship.foreignKey else { continue }
                let notNull = relationship.isRequired ? " NOT NULL" : ""
                lines.append("\(quoted(key)) TEXT\(notNull) REFERENCES \(quoted(relationship.target))(\"id\")")
            }
            statements.append("CREATE TABLE \(quoted(type.name)) (\n  " + lines.joined(separator: ",\n  ") + "\n)")
        }
        for join in joinTables {
            statements.append(
                """
                CREATE TABLE \(quoted(join.table)) (
                  \(quoted(join.ownKey)) TEXT NOT NULL REFERENCES \(quoted(join.owner))("id") ON DELETE CASCADE,
                  \(quoted(join.targetKey)) TEXT NOT NULL REFERENCES \(quoted(join.target))("id") ON DELETE CASCADE,
                  PRIMARY KEY (\(quoted(join.ownKey)), \(quoted(join.targetKey)))
                ) WITHOUT ROWID
                """)
        }
        return statements
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
