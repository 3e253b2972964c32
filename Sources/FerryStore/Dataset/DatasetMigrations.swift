import FerryCore
import GRDB

/// The schema versions of a dataset. Each version is a GRDB migration, applied once, in order.
enum DatasetMigrations {
    static func migrator(for schema: CatalogSchema) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-catalog-tables") { db in
            for statement in try schema.createTableStatements() {
                try db.execute(sql: statement)
            }
            for index in schema.indexes {
                try db.execute(sql: index.createSQL)
            }
        }
        return migrator
    }
}
