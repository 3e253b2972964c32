import FerryCore
import GRDB

/// Brings a dataset's tables up to its catalog: creates the tables (and join tables) of types it
/// lacks, adds the columns of attributes and belongs-to relationships it lacks, and builds the
/// indexes it lacks, rebuilding one whose columns or uniqueness the catalog changed.
///
/// A dataset opened runs it every time, so a type or attribute added to the catalog after the
/// dataset was made reaches it. Nothing is dropped: a column the catalog no longer names stays,
/// unused. Every step is idempotent, and an up-to-date dataset needs no statement at all.
struct SchemaUpgrade {
    /// The layout the dataset is brought to.
    let schema: CatalogSchema
    /// Types whose tables, when present, get only their missing columns (the job tables, which
    /// their own migrations create with indexes of their own).
    let columnsOnly: [ResourceType]

    /// The statements that bring the database up to the schema, in the order they must run.
    func statements(_ db: GRDB.Database) throws -> [String] {
        var statements: [String] = []
        var created: Set<String> = []
        for type in try schema.catalog.dependencyOrder() {
            if try db.tableExists(type.name) {
                statements += try missingColumns(of: type, db)
            } else {
                statements.append(CatalogSchema.createTableStatement(for: type))
                created.insert(type.name)
            }
        }
        for join in schema.joinTables where try !db.tableExists(join.table) {
            statements.append(join.createSQL)
            created.insert(join.table)
        }
        for type in columnsOnly where try db.tableExists(type.name) {
            statements += try missingColumns(of: type, db)
        }
        for index in schema.indexes {
            let existing = created.contains(index.table) ? nil : try db.indexes(on: index.table).first { $0.name == index.name }
            guard existing?.columns != index.columns || existing?.isUnique != index.isUnique else { continue }
            if existing != nil { statements.append(index.dropSQL) }
            statements.append(index.createSQL)
        }
        return statements
    }

    /// `ALTER TABLE … ADD COLUMN` for each column of `type` its table lacks.
    private func missingColumns(of type: ResourceType, _ db: GRDB.Database) throws -> [String] {
        let present = Set(try db.columns(in: type.name).map(\.name))
        return CatalogSchema.columnDefinitions(of: type).filter { !present.contains($0.name) }.map {
            "ALTER TABLE \(quoted(type.name)) ADD COLUMN \($0.addColumnSQL)"
        }
    }

    /// Runs the statements the database needs. A unique index the records already break (two
    /// records sharing a natural key the catalog introduced) is refused with a typed error.
    func apply(_ db: GRDB.Database) throws {
        let unique = Dictionary(schema.indexes.filter(\.isUnique).map { ($0.createSQL, $0) }, uniquingKeysWith: { a, _ in a })
        for statement in try statements(db) {
            do {
                try db.execute(sql: statement)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                guard let index = unique[statement] else { throw error }
                throw StoreError.conflictingKeys(table: index.table, columns: index.columns)
            }
        }
    }
}
