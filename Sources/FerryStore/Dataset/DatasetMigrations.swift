import FerryCore
import GRDB

/// The migrations that lay a dataset out.
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
        // The job tables, which are also the durable job queue, with the private columns workers use.
        migrator.registerMigration("v2-job-tables") { db in
            let jobs = CatalogSchema(catalog: .jobs)
            for statement in try jobs.createTableStatements() {
                try db.execute(sql: statement)
            }
            for type in ResourceCatalog.jobs.types {
                let table = quoted(type.name)
                try db.execute(sql: """
                    ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.checkpoint)) TEXT;
                    ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.leaseOwner)) TEXT;
                    ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.leaseExpiresAt)) REAL;
                    ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.details)) TEXT;
                    CREATE UNIQUE INDEX \(quoted(type.name + "_id")) ON \(table) ("id");
                    CREATE INDEX \(quoted(type.name + "_queue")) ON \(table) ("status", "created_at");
                    """)
            }
        }
        return migrator
    }
}
