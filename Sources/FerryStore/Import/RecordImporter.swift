import FerryCore
import Foundation
import GRDB

/// Upserts records of one resource type into a dataset (SPEC §3): each input is matched by `id`
/// when that id exists, else by the type's natural key, and created when nothing matches.
///
/// Relationships are given as `<rel>_id`, as `<rel>_<natural key>` (`sku_code`,
/// `price_price_list_code`) or nested (an object for a belongs-to relationship, an array for a
/// has-many or many-to-many one); nested records are upserted by their own natural keys. Every
/// lookup is made for a whole batch at once. A bad input is logged under its natural key (or its
/// index) and nothing of it is written; the others go on.
///
/// Not `Sendable`: one importer serves one import, from one task at a time.
public final class RecordImporter {
    /// What an import may be told.
    public struct Options: Sendable {
        /// Applied to every input's first belongs-to relationship (the price list of prices, the
        /// stock location of stock items) unless the input gives it.
        public var parentID: String?
        /// Go on whatever the share of bad inputs.
        public var skipErrors: Bool
        /// Delete the records of the type (within the parent) that the inputs did not name.
        public var cleanup: Bool
        /// The share of bad inputs past which the import stops.
        public var errorThreshold: Double

        /// Creates options.
        public init(parentID: String? = nil, skipErrors: Bool = false, cleanup: Bool = false, errorThreshold: Double = 0.10) {
            self.parentID = parentID
            self.skipErrors = skipErrors
            self.cleanup = cleanup
            self.errorThreshold = errorThreshold
        }
    }

    /// The dataset written.
    public let dataset: Dataset
    /// The type imported.
    public let type: ResourceType
    /// The options.
    public let options: Options
    /// What happened so far.
    public private(set) var report = ImportReport()
    /// Id generators by table, each made once per import from the table's largest id.
    fileprivate var generators: [String: RecordIDGenerator] = [:]
    private var touched: Set<String> = []
    private var fieldIndexes: [String: FieldIndex] = [:]
    private var inputIndex = 0
    /// Insert statements, kept from batch to batch.
    fileprivate var insertStatements = InsertStatements()
    /// By table, the keys of the records this import created there (see `CreatedKeys`).
    fileprivate var createdKeyLogs: [String: CreatedKeys] = [:]

    /// Checks and types inputs of the imported type; needs no database, so it may run ahead of
    /// the batches being written.
    public let preparer: ImportPreparer

    /// Creates an importer.
    public init(dataset: Dataset, type: ResourceType, options: Options = Options()) {
        self.dataset = dataset
        self.type = type
        self.options = options
        let index = FieldIndex(type: type, catalog: dataset.catalog)
        fieldIndexes[type.name] = index
        preparer = ImportPreparer(type: type, index: index, parentID: options.parentID)
    }

    /// Restores counters saved in a checkpoint, to resume an interrupted import.
    public func restore(_ saved: ImportReport, inputsSeen: Int) {
        report = saved
        inputIndex = inputsSeen
    }

    /// Imports one batch in one transaction.
    public func importBatch(_ records: [Record]) throws {
        try importBatch(preparer.prepare(records))
    }

    /// Imports one batch, prepared by ``preparer``, in one transaction.
    public func importBatch(_ batch: PreparedImportBatch) throws {
        let firstIndex = inputIndex
        inputIndex += batch.count
        try dataset.pool.write { db in
            var writer = Batch(importer: self, db: db)
            let inputs = (0..<batch.count).map { Input(record: Record(), index: firstIndex + $0) }
            let outcome = try writer.upsert(type, inputs, top: true, prepared: (batch.prepared, batch.keys))
            if options.cleanup { for id in outcome.compactMap({ $0 }) { touched.insert(id) } }  // only cleanup needs them
        }
        report.inputs += batch.count
    }

    /// Whether the errors so far exceed the threshold (and the import should stop).
    public var exceedsErrorThreshold: Bool {
        !options.skipErrors && report.inputs > 0 && Double(report.errors) > options.errorThreshold * Double(report.inputs)
    }

    /// Deletes what the inputs did not name, when `cleanup` is on; call once after the last batch.
    /// Records still in use are kept and listed in the warnings log; records a deleted one owns
    /// (a price's tiers) go with it (see ``RecordCleanup``).
    public func finish() throws {
        guard options.cleanup else { return }
        let touched = Array(self.touched)
        try dataset.pool.write { db in
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS ferry_touched (id TEXT PRIMARY KEY)")
            try db.execute(sql: "DELETE FROM temp.ferry_touched")
            for chunk in stride(from: 0, to: touched.count, by: 500) {
                let slice = touched[chunk..<min(touched.count, chunk + 500)]
                try db.execute(
                    sql: "INSERT OR IGNORE INTO temp.ferry_touched (id) VALUES " + Array(repeating: "(?)", count: slice.count).joined(separator: ","),
                    arguments: StatementArguments(Array(slice)))
            }
            var sql = "SELECT id FROM \(quoted(type.name)) WHERE id NOT IN (SELECT id FROM temp.ferry_touched)"
            var arguments: [String] = []
            if let parentID = options.parentID, let key = type.belongsTo.first?.foreignKey {
                sql += " AND \(quoted(key)) = ?"
                arguments.append(parentID)
            }
            try db.execute(sql: "DROP TABLE IF EXISTS temp.ferry_doomed")
            try db.execute(sql: "CREATE TEMP TABLE ferry_doomed AS " + sql, arguments: StatementArguments(arguments))
            let outcome = try RecordCleanup(catalog: dataset.catalog, db: db).run(type, doomed: "ferry_doomed")
            report.destroyed += outcome.destroyed
            for kept in outcome.kept { report.logWarning(kept.key, kept.message) }
            try db.execute(sql: "DROP TABLE IF EXISTS temp.ferry_doomed")
        }
    }

    fileprivate func fieldIndex(_ type: ResourceType) -> FieldIndex {
        if let index = fieldIndexes[type.name] { return index }
        let index = FieldIndex(type: type, catalog: dataset.catalog)
        fieldIndexes[type.name] = index
        return index
    }

    fileprivate func idGenerator(_ db: GRDB.Database, for table: String) throws -> RecordIDGenerator {
        if let generator = generators[table] { return generator }
        let last = try String.fetchOne(db, sql: "SELECT max(id) FROM \(quoted(table))")
        var rng = SystemRandomNumberGenerator()
        return RecordIDGenerator(key: rng.next(), after: last)
    }

    fileprivate func record(error message: String, attribute: String, label: String, for input: Input, top: Bool) {
        report.logError(label, attribute, message, input: input.owner)
        if top { report.errors += 1 }
    }

    fileprivate func warn(_ message: String, label: String) {
        report.logWarning(label, message)
    }

    fileprivate func countCreated(_ count: Int) {
        report.created += count
    }

    fileprivate func count(_ change: Change) {
        switch change {
        case .created: report.created += 1
        case .updated: report.updated += 1
        case .unchanged: report.unchanged += 1
        }
    }
}

/// One input: a record and the label its errors are logged under.
struct Input {
    var record: Record
    /// A nested input's full label (`SKU-001.prices[0]`), or for a top-level input nil: its
    /// label is its natural key, else its index (see ``Batch/label(_:_:_:_:)``), made only when needed.
    private(set) var text: String?
    /// The index of the top-level input this one is (or is nested in), among all the import's inputs.
    let owner: Int
    /// Foreign keys fixed by a parent (the inverse key of a nested has-many record).
    var fixed: [String: String] = [:]

    /// A top-level input at `index`.
    init(record: Record, index: Int) {
        self.record = record
        self.owner = index
    }

    /// A nested input with its full label, in the top-level input `owner`.
    init(record: Record, label: String, owner: Int, fixed: [String: String] = [:]) {
        self.record = record
        self.text = label
        self.owner = owner
        self.fixed = fixed
    }

    /// The label when the input is top-level and gives no key: `#12`.
    var indexLabel: String { "#\(owner)" }
}

enum Change { case created, updated, unchanged }

/// An input checked against the catalog, with its relationships to resolve.
///
/// A class: the batch fills in resolved ids and errors in place. As a struct in an array that
/// the pipeline still held, the first change copied the whole array, and every input's values
/// with it. It is made by the task that prepares a batch and then handed whole to the one that
/// writes it; no two tasks use it at once, which is what makes the unchecked `Sendable` sound.
final class Prepared: @unchecked Sendable {
    /// Attribute values and foreign key ids (given, fixed by a parent, or resolved) by their slot
    /// in the type's ``FieldIndex/writeOrder``; nil where not given.
    var values: [Value?]
    var givenID: String?
    /// The natural key components naming related records, in the order given. A short array,
    /// not a dictionary of dictionaries: most inputs name one record by one component, and two
    /// dictionaries per input were a measurable part of an import.
    var keys: [(relationship: String, suffix: String, value: Value)] = []

    /// Sets a key component of the record a relationship names (a later one replaces an earlier one).
    func setKey(_ relationship: String, _ suffix: String, _ value: Value) {
        keys.removeAll { $0.relationship == relationship && $0.suffix == suffix }
        keys.append((relationship, suffix, value))
    }

    /// Whether any key component names a record of `relationship`.
    func namesByKey(_ relationship: String) -> Bool {
        keys.contains { $0.relationship == relationship }
    }
    var nestedOne: [String: Record] = [:]
    var nestedMany: [String: [Record]] = [:]
    /// Links to add or remove (`_add_tags`, `_remove_tags`), in the order given.
    var linkChanges: [LinkTrigger.Change] = []
    var errors: [(attribute: String, message: String)] = []

    init(values: [Value?]) {
        self.values = values
    }
}

/// The work of one batch inside its transaction.
struct Batch {
    let importer: RecordImporter
    let db: GRDB.Database
    /// The time written to `created_at` and `updated_at` for the whole batch, as the text the
    /// dataset stores (formatted once, not once per record).
    let now = Value.string(Timestamp.now.iso8601)
    var catalog: ResourceCatalog { importer.dataset.catalog }

    init(importer: RecordImporter, db: GRDB.Database) {
        self.importer = importer
        self.db = db
    }

    /// Upserts inputs of a type; returns each input's id, or nil when it was refused.
    mutating func upsert(_ type: ResourceType, _ inputs: [Input], top: Bool, prepared given: ([Prepared], InputKeys)? = nil) throws -> [String?] {
        let index = importer.fieldIndex(type)
        let prepared: [Prepared]
        let inputKeys: InputKeys
        if let given {
            (prepared, inputKeys) = given
        } else {
            var roles = NameMemo<FieldIndex.Role?>()
            prepared = inputs.map { ImportPreparer.prepare($0.record, fixed: $0.fixed, type: type, index: index, parentID: nil, roles: &roles) }
            inputKeys = InputKeys(prepared, type: type, index: index)
        }
        // Only ids given as input need checking; those resolved below come from the dataset.
        try verifyIDs(type, prepared)
        try resolveNestedBelongsTo(type, inputs, prepared)
        try resolveKeys(type, prepared, inputKeys.references)
        for i in prepared.indices where !prepared[i].errors.isEmpty {
            let label = label(type, inputs, prepared, i)
            for error in prepared[i].errors { importer.record(error: error.message, attribute: error.attribute, label: label, for: inputs[i], top: top) }
        }
        let keys = inputKeys.naturalKeys ?? prepared.map { InputKeys.naturalKey(index, $0) }
        let repeated = inputKeys.repeated ?? InputKeys.repeated(keys)
        let created = try createdKeyLog(type)
        let matches = try match(type, index, prepared, keys: keys, created: created)
        let existing = try existingRows(type, ids: matches.compactMap { $0 })
        var ids: [String?] = Array(repeating: nil, count: inputs.count)
        var createdKeys: [[Value]: String] = [:]
        var queue = InsertQueue(table: type.name, writeOrder: index.writeOrder, now: now)
        var generator = try importer.idGenerator(db, for: type.name)
        defer { importer.generators[type.name] = generator }
        for i in inputs.indices where prepared[i].errors.isEmpty {
            var matched = matches[i]
            let key = keys[i]
            if matched == nil, repeated[i], let key, let id = createdKeys[key] {
                // A second input with the key of a record this batch creates updates that record:
                // it must be written first (and, if it was refused, this input creates it instead).
                try queue.flush(statements: &importer.insertStatements, db: db)
                if queue.failures.contains(where: { $0.id == id }) { createdKeys[key] = nil } else { matched = id }
            }
            if matched == nil, let missing = missingRequired(index, prepared[i]) {
                importer.record(error: "is required", attribute: missing, label: label(type, inputs, prepared, i), for: inputs[i], top: top)
                continue
            }
            if let matched {
                do {
                    let change = try update(type, index, prepared[i], id: matched, existing: existing[matched])
                    ids[i] = matched
                    // An update may give a record a new key (matched by id): the table holds it now.
                    if let key { created.add(key) }
                    if top { importer.count(change) }
                } catch let error as DatabaseError {
                    let refusal = DatabaseRefusal(error)
                    importer.record(error: refusal.message, attribute: refusal.attribute, label: label(type, inputs, prepared, i), for: inputs[i], top: top)
                }
            } else {
                let id = generator.next()
                ids[i] = id
                if repeated[i], let key { createdKeys[key] = id }
                if let key { created.add(key) }
                try queueInsert(prepared[i], id: id, input: i, into: &queue)
            }
        }
        try queue.flush(statements: &importer.insertStatements, db: db)
        if top { importer.countCreated(queue.writtenCount) }
        for failure in queue.failures {
            ids[failure.input] = nil
            importer.record(error: failure.refusal.message, attribute: failure.refusal.attribute, label: label(type, inputs, prepared, failure.input), for: inputs[failure.input], top: top)
        }
        try upsertNestedMany(type, inputs, prepared, ids: ids)
        try applyLinkChanges(type, inputs, prepared, ids: ids)
        return ids
    }

    /// The label input `i`'s errors are logged under: a nested input's own, else the input's
    /// natural key as given (``InputLabel``), else its index.
    func label(_ type: ResourceType, _ inputs: [Input], _ prepared: [Prepared], _ i: Int) -> String {
        if let text = inputs[i].text { return text }
        let key = InputLabel.key(prepared[i], type: type, index: importer.fieldIndex(type), catalog: catalog, parentID: importer.options.parentID)
        return key ?? inputs[i].indexLabel
    }

    // MARK: Resolving relationships

    mutating func resolveNestedBelongsTo(_ type: ResourceType, _ inputs: [Input], _ prepared: [Prepared]) throws {
        for relationship in type.belongsTo {
            guard let key = relationship.foreignKey, let target = catalog[relationship.target],
                  let slot = importer.fieldIndex(type).slots[key]
            else { continue }
            let owners = prepared.indices.filter { prepared[$0].nestedOne[relationship.name] != nil && prepared[$0].errors.isEmpty }
            guard !owners.isEmpty else { continue }
            let nested = owners.map {
                Input(record: prepared[$0].nestedOne[relationship.name]!, label: label(type, inputs, prepared, $0) + "." + relationship.name, owner: inputs[$0].owner)
            }
            let ids = try upsert(target, nested, top: false)
            for (owner, id) in zip(owners, ids) {
                if let id { prepared[owner].values[slot] = .string(id) } else { prepared[owner].errors.append((relationship.name, "could not be imported")) }
            }
        }
    }

    /// Resolves the related records inputs name by natural key (`sku_code`, nested components),
    /// each distinct set of components once, into the inputs' foreign key slots.
    func resolveKeys(_ type: ResourceType, _ prepared: [Prepared], _ references: [String: InputKeys.References]) throws {
        for relationship in type.belongsTo {
            guard let group = references[relationship.name], let key = relationship.foreignKey,
                  let target = catalog[relationship.target], let slot = importer.fieldIndex(type).slots[key]
            else { continue }
            let resolved = try NaturalKeyResolver(dataset: importer.dataset).ids(of: target, components: group.distinct, db: db)
            for (owner, position) in zip(group.owners, group.positions) where prepared[owner].values[slot] == nil {
                if let id = resolved[position] {
                    prepared[owner].values[slot] = .string(id)
                } else {
                    let given = group.distinct[position].sorted { $0.key < $1.key }
                        .map { "\(relationship.name)_\($0.key) \($0.value.jsonValue.jsonText)" }.joined(separator: ", ")
                    prepared[owner].errors.append((relationship.name, "no \(target.singular) matches \(given)"))
                }
            }
        }
    }

    func verifyIDs(_ type: ResourceType, _ prepared: [Prepared]) throws {
        for relationship in type.belongsTo {
            guard let key = relationship.foreignKey else { continue }
            guard let slot = importer.fieldIndex(type).slots[key] else { continue }
            let ids = Set(prepared.compactMap { $0.values[slot]?.stringValue })
            guard !ids.isEmpty else { continue }
            let existing = try existingIDs(relationship.target, Array(ids))
            for i in prepared.indices {
                if let id = prepared[i].values[slot]?.stringValue, !existing.contains(id) {
                    prepared[i].errors.append((key, "no \(relationship.target) record has id \(id.debugDescription) in this dataset"))
                }
            }
        }
    }

    func existingIDs(_ table: String, _ ids: [String]) throws -> Set<String> {
        var found: Set<String> = []
        for chunk in stride(from: 0, to: ids.count, by: 1000) {
            let slice = Array(ids[chunk..<min(ids.count, chunk + 1000)])
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            found.formUnion(try String.fetchAll(db, sql: "SELECT id FROM \(quoted(table)) WHERE id IN (\(marks))", arguments: StatementArguments(slice)))
        }
        return found
    }

    // MARK: Matching

    /// The id each prepared input matches: by given id, else by its natural key (`keys`).
    /// The keys this import created in `type`'s table, checked to be still all it holds.
    func createdKeyLog(_ type: ResourceType) throws -> CreatedKeys {
        if let created = importer.createdKeyLogs[type.name] {
            try created.revalidate(db: db)
            return created
        }
        let created = try CreatedKeys.start(type.name, db: db)
        importer.createdKeyLogs[type.name] = created
        return created
    }

    /// Each input's match: the record of its given id when that exists, else the record of its
    /// natural key, looked up unless `created` shows the table cannot hold it.
    func match(_ type: ResourceType, _ index: FieldIndex, _ prepared: [Prepared], keys: [[Value]?], created: CreatedKeys) throws -> [String?] {
        var result: [String?] = Array(repeating: nil, count: prepared.count)
        let given = try existingIDs(type.name, prepared.compactMap(\.givenID))
        var lookups: [[Value]] = []
        for (i, p) in prepared.enumerated() {
            if let id = p.givenID, given.contains(id) {
                result[i] = id
            } else if let key = keys[i], created.mayHold(key) {
                lookups.append(key)
            }
        }
        guard !lookups.isEmpty else { return result }
        let found = try NaturalKeyResolver.find(type, columns: index.naturalKey.map(\.column), keys: lookups, db: db)
        for i in prepared.indices where result[i] == nil {
            if let key = keys[i] { result[i] = found[key] }  // keys use '' for missing parts, as find does
        }
        return result
    }

    func existingRows(_ type: ResourceType, ids: [String]) throws -> [String: Record] {
        guard !ids.isEmpty else { return [:] }
        let layout = RecordLayout(type: type)
        var rows: [String: Record] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 1000) {
            let slice = Array(ids[chunk..<min(ids.count, chunk + 1000)])
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            let sql = "SELECT \(layout.selectList(alias: type.name)) FROM \(quoted(type.name)) WHERE id IN (\(marks))"
            for record in try layout.records(db, sql: sql, arguments: StatementArguments(slice)) { rows[record.id ?? ""] = record }
        }
        return rows
    }

    func missingRequired(_ index: FieldIndex, _ p: Prepared) -> String? {
        for (name, slot) in index.requiredAttributes {
            if slot < 0 || (p.values[slot]?.isNull ?? true) { return name }
        }
        for (name, slot) in index.requiredRelationships where p.values[slot] == nil {
            return name
        }
        return nil
    }

    // MARK: Writing

    /// Updates the record `id` with the fields of `p` that differ from `existing`.
    func update(_ type: ResourceType, _ index: FieldIndex, _ p: Prepared, id: String, existing: Record?) throws -> Change {
        let slots = p.values
        let changed = slots.indices.compactMap { position -> (String, Value)? in
            guard let value = slots[position] else { return nil }
            let name = index.writeOrder[position]
            let current = existing?[name] ?? .null
            return current != value && !(current.isNull && value.isNull) ? (name, value) : nil
        }
        guard !changed.isEmpty else { return .unchanged }
        let assignments = (changed.map(\.0) + ["updated_at"]).map { "\(quoted($0)) = ?" }.joined(separator: ", ")
        try db.cachedStatement(sql: "UPDATE \(quoted(type.name)) SET \(assignments) WHERE id = ?")
            .execute(arguments: StatementArguments(changed.map(\.1.databaseValue) + [now.databaseValue, id.databaseValue]))
        return .updated
    }

    /// Queues the creation of a record `id` from `p`: every column, `NULL` where `p` has no value.
    func queueInsert(_ p: Prepared, id: String, input: Int, into queue: inout InsertQueue) throws {
        try queue.append(InsertQueue.Row(input: input, id: id, values: p.values), statements: &importer.insertStatements, db: db)
    }

    /// Adds and removes the links inputs ask for with `_add_tags` and `_remove_tags`
    /// (``LinkTrigger``), after any whole set given as `tags`; each relationship's names are
    /// looked up once for the batch.
    func applyLinkChanges(_ type: ResourceType, _ inputs: [Input], _ prepared: [Prepared], ids: [String?]) throws {
        let owners = prepared.indices.filter { ids[$0] != nil && !prepared[$0].linkChanges.isEmpty }
        guard !owners.isEmpty else { return }
        let index = importer.fieldIndex(type)
        for relationship in type.relationships {
            guard case .manyToMany(let joinTable, let ownKey, let targetKey) = relationship.kind, let key = index.listKeys[relationship.name]
            else { continue }
            let names = Set(owners.flatMap { prepared[$0].linkChanges.filter { $0.relationship == relationship.name }.flatMap(\.names) })
            guard !names.isEmpty else { continue }
            var found: [String: String] = [:]
            let all = Array(names)
            for chunk in stride(from: 0, to: all.count, by: 500) {
                let slice = Array(all[chunk..<min(all.count, chunk + 500)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT \(quoted(key)), id FROM \(quoted(relationship.target)) WHERE \(quoted(key)) IN (\(marks))", arguments: StatementArguments(slice)) {
                    found[row[0]] = row[1]
                }
            }
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(quoted(joinTable)) (\(quoted(ownKey)), \(quoted(targetKey))) VALUES (?, ?)")
            let delete = try db.cachedStatement(sql: "DELETE FROM \(quoted(joinTable)) WHERE \(quoted(ownKey)) = ? AND \(quoted(targetKey)) = ?")
            for owner in owners {
                for change in prepared[owner].linkChanges where change.relationship == relationship.name {
                    for name in change.names {
                        guard let target = found[name] else {
                            if change.add {
                                importer.warn("_add_\(relationship.name): no \(catalog[relationship.target]?.singular ?? relationship.target) is named \(name.debugDescription); it was not added", label: label(type, inputs, prepared, owner))
                            }
                            continue
                        }
                        try (change.add ? insert : delete).execute(arguments: [ids[owner]!, target])
                    }
                }
            }
        }
    }

    mutating func upsertNestedMany(_ type: ResourceType, _ inputs: [Input], _ prepared: [Prepared], ids: [String?]) throws {
        for relationship in type.relationships where !relationship.isToOne {
            guard let target = catalog[relationship.target] else { continue }
            let owners = prepared.indices.filter { ids[$0] != nil && prepared[$0].nestedMany[relationship.name] != nil }
            guard !owners.isEmpty else { continue }
            switch relationship.kind {
            case .hasMany(let inverse):
                guard let key = target.relationship(named: inverse)?.foreignKey else { continue }
                var children: [Input] = []
                for owner in owners {
                    let parent = label(type, inputs, prepared, owner)
                    for (k, record) in prepared[owner].nestedMany[relationship.name]!.enumerated() {
                        children.append(Input(record: record, label: "\(parent).\(relationship.name)[\(k)]", owner: inputs[owner].owner, fixed: [key: ids[owner]!]))
                    }
                }
                _ = try upsert(target, children, top: false)
            case .manyToMany(let joinTable, let ownKey, let targetKey):
                // The same few tags hang off many records: each distinct one is upserted once.
                var children: [Input] = []
                var position: [Record: Int] = [:]
                var links: [(owner: Int, child: Int)] = []
                for owner in owners {
                    for (k, record) in prepared[owner].nestedMany[relationship.name]!.enumerated() {
                        if let existing = position[record] {
                            links.append((owner, existing))
                            continue
                        }
                        position[record] = children.count
                        links.append((owner, children.count))
                        children.append(Input(record: record, label: "\(label(type, inputs, prepared, owner)).\(relationship.name)[\(k)]", owner: inputs[owner].owner))
                    }
                }
                let childIDs = try upsert(target, children, top: false)
                let ownerIDs = owners.map { ids[$0]! }
                let marks = Array(repeating: "?", count: ownerIDs.count).joined(separator: ",")
                try db.execute(sql: "DELETE FROM \(quoted(joinTable)) WHERE \(quoted(ownKey)) IN (\(marks))", arguments: StatementArguments(ownerIDs))
                let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(quoted(joinTable)) (\(quoted(ownKey)), \(quoted(targetKey))) VALUES (?, ?)")
                for link in links {
                    guard let child = childIDs[link.child] else { continue }
                    try insert.execute(arguments: [ids[link.owner]!, child])
                }
            case .belongsTo:
                continue
            }
        }
    }
}
