import FerryCore
import GRDB

extension Dataset {
    /// A page of a query's records in the given order (then by id), and how many it selects in all:
    /// what list endpoints answer. The total is counted once per query until the next commit.
    /// `catalog` is the one the query's type belongs to (the dataset's own by default;
    /// ``ResourceCatalog/jobs`` for job types).
    public func page(
        _ query: RecordQuery, catalog: ResourceCatalog? = nil, sort: [RecordSort] = [], offset: Int, limit: Int,
        form: RecordLayout.Form = .stored
    ) throws -> (records: [Record], total: Int) {
        let type = query.type
        for key in sort {
            guard type.attribute(named: key.attribute)?.isSortable == true else {
                throw DatasetError.invalidSort(attribute: key.attribute, type: type.name)
            }
        }
        let condition = try query.condition(catalog: catalog ?? self.catalog)
        let order = (sort + [RecordSort("id")]).map { "\(quoted(type.name)).\(quoted($0.attribute)) \($0.descending ? "DESC" : "ASC")" }
        let layout = RecordLayout(type: type, form: form)
        return try pool.read { db in
            let total = try listTotals.total(db, sql: "SELECT count(*) FROM \(quoted(type.name)) WHERE \(condition.sql)", arguments: condition.arguments)
            let records = try layout.records(
                db,
                sql: "SELECT \(layout.selectList(alias: type.name)) FROM \(quoted(type.name)) WHERE \(condition.sql) ORDER BY \(order.joined(separator: ", ")) LIMIT ? OFFSET ?",
                arguments: condition.statementArguments + [limit, offset], cached: true)
            return (records, total)
        }
    }
}
