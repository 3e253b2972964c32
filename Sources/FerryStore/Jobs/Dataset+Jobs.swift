import FerryCore
import Foundation
import GRDB

/// Job storage: each mode's dataset holds its own `exports`, `imports` and `pipeline_runs` tables
/// (laid out from ``ResourceCatalog/jobs``), which are also the durable queue the workers claim
/// from. Nothing of one mode's jobs is reachable from the other.
extension Dataset {
    /// The private columns kept beside a job's public attributes.
    enum JobColumn {
        static let checkpoint = "_checkpoint"
        static let leaseOwner = "_lease_owner"
        static let leaseExpiresAt = "_lease_expires_at"
        static let details = "_details"
        static let all = [checkpoint, leaseOwner, leaseExpiresAt, details]
    }

    /// Stores a new `pending` job made of `attributes` (id and timestamps are added) and returns it.
    /// `prepare` runs with the new id inside the inserting transaction, before any worker can see
    /// the job (an import moves its stored inputs into place there); if it throws, nothing is stored.
    public func insertJob(_ type: ResourceType, attributes: Record, details: JSONValue = .object([]), prepare: (String) throws -> Void = { _ in }) throws -> JobRow? {
        let columns = type.storedAttributes.map(\.name)
        return try pool.write { db in
            let last = try String.fetchOne(db, sql: "SELECT max(\"id\") FROM \(quoted(type.name))")
            var generator = RecordIDGenerator(key: UInt64.random(in: 1...UInt64.max), after: last)
            let now = Value.timestamp(.now)
            var values: [DatabaseValue] = []
            for column in columns {
                switch column {
                case "id": values.append(generator.next().databaseValue)
                case "created_at", "updated_at": values.append(now.databaseValue)
                case "status" where attributes["status"] == nil: values.append(JobStatus.pending.rawValue.databaseValue)
                default: values.append((attributes[column] ?? .null).databaseValue)
                }
            }
            values.append(details.jsonText.databaseValue)
            let names = (columns + [JobColumn.details]).map(quoted).joined(separator: ", ")
            let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
            try db.execute(sql: "INSERT INTO \(quoted(type.name)) (\(names)) VALUES (\(marks))", arguments: StatementArguments(values))
            let id = String.fromDatabaseValue(values[columns.firstIndex(of: "id")!]) ?? ""
            try prepare(id)
            return try fetchJob(db, type, id: id)
        }
    }

    /// The job with an id, if this dataset has it.
    public func job(_ type: ResourceType, id: String) throws -> JobRow? {
        // One SELECT is consistent by itself: no read transaction around it.
        try pool.unsafeRead { db in try fetchJob(db, type, id: id) }
    }

    func fetchJob(_ db: GRDB.Database, _ type: ResourceType, id: String) throws -> JobRow? {
        let read = jobReads.withLock { reads in
            if let read = reads[type.name] { return read }
            let read = JobRead(type: type)
            reads[type.name] = read
            return read
        }
        let layout = read.layout
        var row: JobRow?
        try RawRows.forEach(db, sql: read.sql, arguments: [id], cached: true) { statement in
            let details = RawRows.value(statement, 3, as: .string).stringValue.flatMap { try? JSONParser.parse($0) }
            row = JobRow(
                kind: JobKind(rawValue: type.name) ?? .export,
                record: layout.record(from: statement, offset: JobColumn.all.count),
                checkpointJSON: RawRows.value(statement, 0, as: .string).stringValue,
                leaseOwner: RawRows.value(statement, 1, as: .string).stringValue,
                leaseExpiresAt: RawRows.value(statement, 2, as: .float).doubleValue,
                details: details ?? .object([]))
        }
        return row
    }

    /// How one job type's rows are read: its stored layout and the `SELECT` of one job by id.
    struct JobRead: Sendable {
        let layout: RecordLayout
        let sql: String

        init(type: ResourceType) {
            layout = RecordLayout(type: type, form: .stored)
            let privateList = JobColumn.all.map(quoted).joined(separator: ", ")
            sql = "SELECT \(privateList), \(layout.selectList(alias: type.name)) FROM \(quoted(type.name)) WHERE \"id\" = ?"
        }
    }

    /// A page of jobs matching a filter, in the given order (then by id), and how many match in all.
    public func jobs(_ type: ResourceType, filter: Filter? = nil, sort: [RecordSort] = [], offset: Int, limit: Int) throws -> (records: [Record], total: Int) {
        try page(RecordQuery(type: type, filter: filter), catalog: .jobs, sort: sort, offset: offset, limit: limit)
    }

    /// Who may change a job: anyone, or only the worker holding it while it runs.
    public enum JobWriter: Sendable {
        /// Any caller (the API), when the job is in one of `statuses` (nil: any status).
        case caller(statuses: Set<JobStatus>?)
        /// The worker `owner`, only while the job is `in_progress` under its lease.
        case worker(owner: String)
    }

    /// Changes a job's attributes (and optionally its private state); `updated_at` is set. Returns
    /// the job after the change, or nil when it does not exist or `writer` may not change it.
    @discardableResult
    public func updateJob(
        _ type: ResourceType, id: String, set changes: [String: Value], by writer: JobWriter,
        checkpoint: Checkpoint? = nil, lease: (owner: String?, expiresAt: Double?)? = nil, details: JSONValue? = nil
    ) throws -> JobRow? {
        var assignments: [String] = ["\"updated_at\" = ?"]
        var arguments: [DatabaseValue] = [Value.timestamp(.now).databaseValue]
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
            guard type.attribute(named: name)?.isStored == true, name != "id" else { throw DatasetError.unknownColumn(name, type: type.name) }
            assignments.append("\(quoted(name)) = ?")
            arguments.append(value.databaseValue)
        }
        if let checkpoint {
            assignments.append("\(quoted(JobColumn.checkpoint)) = ?")
            arguments.append(String(decoding: try JSONEncoder().encode(checkpoint), as: UTF8.self).databaseValue)
        }
        if let lease {
            assignments.append("\(quoted(JobColumn.leaseOwner)) = ?")
            arguments.append(lease.owner.databaseValue)
            assignments.append("\(quoted(JobColumn.leaseExpiresAt)) = ?")
            arguments.append(lease.expiresAt.databaseValue)
        }
        if let details {
            assignments.append("\(quoted(JobColumn.details)) = ?")
            arguments.append(details.jsonText.databaseValue)
        }
        var condition = "\"id\" = ?"
        arguments.append(id.databaseValue)
        switch writer {
        case .caller(let statuses?):
            condition += " AND \"status\" IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))"
            arguments += statuses.map(\.rawValue.databaseValue)
        case .caller(nil):
            break
        case .worker(let owner):
            condition += " AND \"status\" = 'in_progress' AND \(quoted(JobColumn.leaseOwner)) = ?"
            arguments.append(owner.databaseValue)
        }
        return try pool.write { db in
            try db.execute(
                sql: "UPDATE \(quoted(type.name)) SET \(assignments.joined(separator: ", ")) WHERE \(condition)",
                arguments: StatementArguments(arguments))
            guard db.changesCount > 0 else { return nil }
            return try fetchJob(db, type, id: id)
        }
    }

    /// Deletes a job; returns whether it existed.
    public func deleteJob(_ type: ResourceType, id: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM \(quoted(type.name)) WHERE \"id\" = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Claims the oldest job a worker may run — `pending`, or `in_progress` under a lapsed lease
    /// (its worker died) — and marks it `in_progress` under `owner`'s lease. `runningLimit` caps
    /// the jobs of the type running at once under live leases. Atomic: two workers never claim
    /// the same job. Returns the job as it was before the claim and after it.
    public func claimJob(_ type: ResourceType, owner: String, leaseSeconds: Double, runningLimit: Int, now: Double = Date().timeIntervalSince1970) throws -> (previous: Record, job: JobRow)? {
        let table = quoted(type.name)
        let expires = quoted(JobColumn.leaseExpiresAt)
        let runnable = """
            SELECT "id" FROM \(table)
            WHERE "status" = 'pending' OR ("status" = 'in_progress' AND coalesce(\(expires), 0) <= ?)
            ORDER BY "created_at", "id" LIMIT 1
            """
        // Idle workers poll often: look without the write lock first, and take it only when
        // there is something to claim (then look again inside it, where the answer holds).
        guard try pool.unsafeRead({ db in try String.fetchOne(db.cachedStatement(sql: runnable), arguments: [now]) }) != nil else { return nil }
        return try pool.write { db in
            let running = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM \(table) WHERE \"status\" = 'in_progress' AND \(expires) > ?", arguments: [now]) ?? 0
            guard running < runningLimit else { return nil }
            guard let id = try String.fetchOne(db.cachedStatement(sql: runnable), arguments: [now]) else { return nil }
            guard let previous = try fetchJob(db, type, id: id) else { return nil }
            let stamp = Value.timestamp(Timestamp(date: Date(timeIntervalSince1970: now))).databaseValue
            try db.execute(sql: """
                UPDATE \(table) SET "status" = 'in_progress', "started_at" = coalesce("started_at", ?), "updated_at" = ?,
                  \(quoted(JobColumn.leaseOwner)) = ?, \(expires) = ?
                WHERE "id" = ?
                """, arguments: [stamp, stamp, owner, now + leaseSeconds, id])
            return try fetchJob(db, type, id: id).map { (previous.record, $0) }
        }
    }

    /// Lets the jobs held by owners that `isGone` says are dead be claimed again at once, instead
    /// of after their lease lapses. Returns how many jobs were released.
    @discardableResult
    public func releaseJobs(_ type: ResourceType, heldBy isGone: (String) -> Bool) throws -> Int {
        try pool.write { db in
            let owners = try String.fetchAll(
                db, sql: "SELECT DISTINCT \(quoted(JobColumn.leaseOwner)) FROM \(quoted(type.name)) WHERE \"status\" = 'in_progress' AND \(quoted(JobColumn.leaseOwner)) IS NOT NULL")
            var released = 0
            for owner in owners where isGone(owner) {
                try db.execute(
                    sql: "UPDATE \(quoted(type.name)) SET \(quoted(JobColumn.leaseExpiresAt)) = 0 WHERE \"status\" = 'in_progress' AND \(quoted(JobColumn.leaseOwner)) = ?",
                    arguments: [owner])
                released += db.changesCount
            }
            return released
        }
    }
}
