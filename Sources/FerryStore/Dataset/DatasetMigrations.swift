import FerryCore
import GRDB

/// The migrations that lay a dataset out.
enum DatasetMigrations {
    /// Applies the migrations a dataset has not had, then brings its tables up to the catalog
    /// (see ``SchemaUpgrade``): a type or attribute added to the catalog after the dataset was
    /// made reaches it on the next open. An up-to-date dataset is only read.
    static func migrate(_ pool: DatabasePool, schema: CatalogSchema) throws {
        try migrator(for: schema).migrate(pool)
        let upgrade = SchemaUpgrade(schema: schema, columnsOnly: JobTypes.all)
        guard try pool.read({ try !upgrade.statements($0).isEmpty }) else { return }
        try pool.write { try upgrade.apply($0) }
    }

    /// Whether a dataset has every migration and matches the catalog: what a read-only opening
    /// needs, since it cannot migrate.
    static func isCurrent(_ reader: some DatabaseReader, schema: CatalogSchema) throws -> Bool {
        let upgrade = SchemaUpgrade(schema: schema, columnsOnly: JobTypes.all)
        return try reader.read { db in
            try migrator(for: schema).hasCompletedMigrations(db) && upgrade.statements(db).isEmpty
        }
    }

    static func migrator(for schema: CatalogSchema) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // The catalog's tables; later catalogs reach the dataset through `migrate`'s upgrade.
        migrator.registerMigration("v1-catalog-tables") { db in
            try SchemaUpgrade(schema: schema, columnsOnly: []).apply(db)
        }
        // The job tables, which are also the durable job queue, with the private columns workers use.
        migrator.registerMigration("v2-job-tables") { db in
            try createJobTables(db, JobTypes.queues)
        }
        // The change logs of jobs: versions, events and the event store.
        migrator.registerMigration("v3-job-logs") { db in
            try createJobTables(db, JobTypes.logs)
            try db.execute(sql: """
                CREATE INDEX "versions_item" ON "versions" ("item_id");
                CREATE INDEX "events_resource" ON "events" ("resource_id");
                CREATE INDEX "event_stores_resource" ON "event_stores" ("resource_id");
                """)
        }
        // Webhooks and the queue of their deliveries.
        migrator.registerMigration("v4-webhooks") { db in
            try createJobTables(db, JobTypes.hooks)
            try db.execute(sql: "CREATE INDEX \"webhooks_topic\" ON \"webhooks\" (\"topic\")")
        }
        return migrator
    }

    /// Job tables from their types, with the private columns workers use.
    static func createJobTables(_ db: GRDB.Database, _ types: [ResourceType]) throws {
        for statement in try CatalogSchema(catalog: ResourceCatalog(types)).createTableStatements() {
            try db.execute(sql: statement)
        }
        for type in types {
            let table = quoted(type.name)
            try db.execute(sql: """
                ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.checkpoint)) TEXT;
                ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.leaseOwner)) TEXT;
                ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.leaseExpiresAt)) REAL;
                ALTER TABLE \(table) ADD COLUMN \(quoted(Dataset.JobColumn.details)) TEXT;
                CREATE UNIQUE INDEX \(quoted(type.name + "_id")) ON \(table) ("id");
                """)
            if type.attribute(named: "status") != nil {
                try db.execute(sql: "CREATE INDEX \(quoted(type.name + "_queue")) ON \(table) (\"status\", \"created_at\")")
            }
        }
    }
}
