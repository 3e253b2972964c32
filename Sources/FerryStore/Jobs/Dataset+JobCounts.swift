import FerryCore
import GRDB

extension Dataset {
    /// How many jobs of a type there are in each status (statuses with none are absent).
    public func jobCounts(_ type: ResourceType) throws -> [JobStatus: Int] {
        try pool.read { db in
            var counts: [JobStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \"status\", count(*) FROM \(quoted(type.name)) GROUP BY \"status\"") {
                guard let name: String = row[0], let status = JobStatus(rawValue: name) else { continue }
                counts[status, default: 0] += row[1] as Int
            }
            return counts
        }
    }
}
