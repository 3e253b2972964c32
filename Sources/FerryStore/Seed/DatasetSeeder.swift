import FerryCore
import GRDB

/// Fills an empty dataset with a realistic, deterministic commerce catalog (SPEC §1).
///
/// Every type of the catalog gets records and every relationship is populated: SKUs priced in
/// three price lists (with volume tiers in the first), stocked in two of three locations and
/// tagged; customers with addresses; orders with line items that reference real SKUs at their
/// market's price; markets tying price lists, inventory models and customer groups together.
/// The same ``SeedOptions`` always produce the same rows, ids included.
///
/// Rows go in through prepared statements in one transaction with secondary indexes dropped,
/// and the indexes are built once at the end: far cheaper than maintaining them row by row.
public struct DatasetSeeder: Sendable {
    /// What to seed.
    public struct Options: Hashable, Sendable {
        /// How many SKUs; other types scale from it.
        public var skus: Int
        /// The seed of every pseudo-random choice, ids included.
        public var seed: UInt64

        /// Creates seed options.
        public init(skus: Int, seed: UInt64 = 1) {
            self.skus = skus
            self.seed = seed
        }

        /// How many customers (and orders) go with the SKUs.
        public var customers: Int { max(20, skus / 10) }
    }

    /// Progress through one step of seeding.
    public struct Progress: Sendable {
        /// The table or step (`prices`, `indexes`).
        public var step: String
        /// Rows written in this step so far.
        public var completed: Int
        /// Rows this step will write.
        public var total: Int
    }

    /// The dataset filled.
    public let dataset: Dataset
    /// What to seed.
    public let options: Options

    /// Creates a seeder.
    public init(dataset: Dataset, options: Options) {
        self.dataset = dataset
        self.options = options
    }

    /// Seeds the dataset, which must be empty, reporting progress as it goes.
    public func run(progress: @escaping (Progress) -> Void = { _ in }) throws {
        guard options.skus >= 1 else { throw StoreError.invalidSeedParameter("--skus must be at least 1") }
        guard try dataset.isEmpty() else {
            throw StoreError.datasetNotEmpty(mode: dataset.mode, path: dataset.url.path)
        }
        let schema = dataset.schema
        try dataset.pool.barrierWriteWithoutTransaction { db in
            db.trace(options: [], nil)  // ten million inserts need no per-statement tracing
            defer { Dataset.countQueries(on: db, into: dataset.queryCounter) }
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "PRAGMA cache_size = -262144")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            for index in schema.indexes { try db.execute(sql: index.dropSQL) }
            try db.inTransaction {
                let writer = SeedWriter(db: db, catalog: dataset.catalog, options: options, progress: progress)
                try writer.writeAll()
                return .commit
            }
            let indexes = schema.indexes
            for (i, index) in indexes.enumerated() {
                progress(Progress(step: "indexes", completed: i, total: indexes.count))
                try db.execute(sql: index.createSQL)
            }
            progress(Progress(step: "indexes", completed: indexes.count, total: indexes.count))
            try db.execute(sql: "PRAGMA cache_size = -2000")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
