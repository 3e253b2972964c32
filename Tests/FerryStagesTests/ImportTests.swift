import FerryCore
import FerryStages
import FerryStore
import Foundation
import GRDB
import Testing

@Suite struct ImportTests {
    /// Exports every type of test as dry data in a format, imports each file into live in
    /// dependency order, then requires each type's dry export of live to equal test's, byte for byte.
    @Test(arguments: [OutputFormat.json, .csv, .ndjson])
    func roundTripLawForEveryType(format: OutputFormat) async throws {
        let dir = try SeededDirectory(skus: 40)
        defer { dir.remove() }
        try await Self.requireRoundTrip(dir, format: format)
    }

    /// The round trip law through a live dataset made by an earlier catalog, one without
    /// `shipments` (and the stock transfers' link to them) nor the SKUs' `hs_tariff_number`:
    /// opened by this catalog, it takes the new type, relationship and attribute.
    @Test func roundTripThroughADatasetOfAnEarlierCatalog() async throws {
        let dir = try SeededDirectory(skus: 20)
        defer { dir.remove() }
        let earlier = try ResourceCatalog(ResourceCatalog.commerce.types.filter { $0.name != "shipments" }.map { type in
            var type = type
            type.relationships.removeAll { $0.target == "shipments" }
            if type.name == "skus" { type.attributes.removeAll { $0.name == "hs_tariff_number" } }
            return type
        })
        let old = try Dataset(mode: .live, directory: DataDirectory(url: dir.url), catalog: earlier)
        let before = try await old.pool.read { db in (try db.tableExists("shipments"), try db.columns(in: "skus").map(\.name)) }
        #expect(!before.0 && !before.1.contains("hs_tariff_number"), "the dataset is the earlier catalog's")
        try old.pool.close()
        try await Self.requireRoundTrip(dir, format: .ndjson)
    }

    static func requireRoundTrip(_ dir: SeededDirectory, format: OutputFormat) async throws {
        let catalog = ResourceCatalog.commerce
        func linked(_ type: ResourceType) -> [String] {
            type.relationships.filter { if case .manyToMany = $0.kind { true } else { false } }.map(\.name)
        }
        for type in try catalog.dependencyOrder() {
            let file = dir.path("\(type.name).\(format.rawValue).gz")
            _ = try await dir.export(ExportPlan(resourceType: type.name, mode: .test, format: format, includes: linked(type), dryData: true, output: file, batchSize: 17))
            let sink = DatasetSink(dataset: try dir.environment.dataset(.live), type: type, options: .init())
            _ = try await PipelineRunner().run(Pipeline(name: "import", source: FileSource(path: file, format: format, resourceType: type, catalog: catalog), sink: sink, batchSize: 13))
            let report = await sink.report
            #expect(report.errors == 0, "\(type.name): \(report.errorsLogJSON.jsonText)")
        }
        for type in catalog.types {
            var files: [[UInt8]] = []
            for mode in [DatasetMode.test, .live] {
                let file = dir.path("check-\(type.name)-\(mode).ndjson")
                let (_, bytes) = try await dir.export(ExportPlan(resourceType: type.name, mode: mode, format: .ndjson, includes: linked(type), dryData: true, output: file))
                files.append(bytes)
            }
            #expect(!files[0].isEmpty, "\(type.name): nothing seeded")
            #expect(files[0] == files[1], "\(type.name): the re-exported dry data differs")
        }
    }

    @Test func duplicateVerifiesAndASecondRunChangesNothing() async throws {
        let dir = try SeededDirectory(skus: 50)
        defer { dir.remove() }
        let duplicator = DatasetDuplicator(environment: dir.environment, from: .test, to: .live)
        let first = try await duplicator.run()
        #expect(first.count == ResourceCatalog.commerce.types.count)
        #expect(first.allSatisfy { $0.verified && $0.report.errors == 0 && $0.report.created == $0.sourceCount })
        let second = try await duplicator.run()
        #expect(second.allSatisfy { $0.verified && $0.report.created == 0 && $0.report.updated == 0 && $0.report.unchanged == $0.sourceCount })
        // A change on one side is caught by verification of that type only.
        try await dir.environment.dataset(.live).pool.write { db in try db.execute(sql: "UPDATE prices SET amount_cents = amount_cents + 1 WHERE rowid = 1") }
        let subset = try await duplicator.run(types: ["skus"])
        #expect(subset.map(\.type) == ["shipping_categories", "skus"], "a type brings what it depends on")
        let prices = try await duplicator.digest(ResourceCatalog.commerce.type(named: "prices"), of: dir.environment.dataset(.live))
        let source = try await duplicator.digest(ResourceCatalog.commerce.type(named: "prices"), of: dir.environment.dataset(.test))
        #expect(prices.count == source.count && prices.hex != source.hex)
    }

    func importer(_ dir: SeededDirectory, _ type: String, mode: DatasetMode = .test, _ options: RecordImporter.Options = .init()) throws -> RecordImporter {
        RecordImporter(dataset: try dir.environment.dataset(mode), type: try ResourceCatalog.commerce.type(named: type), options: options)
    }

    @Test func resolvesNaturalKeysAndReferenceFields() throws {
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        let prices = try importer(dir, "prices")
        try prices.importBatch([
            Record(["sku_code": "SKU-000002", "price_list_code": "eur-retail", "amount_cents": 999]),  // exists: update
            Record(["sku_code": "SKU-000002", "price_list_code": "usd-retail", "amount_cents": 1234, "currency_code": "USD"]),  // exists too
        ])
        #expect(prices.report.updated == 2 && prices.report.created == 0)
        let amount = try dir.dataset.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT p.amount_cents FROM prices p JOIN skus s ON s.id = p.sku_id JOIN price_lists l ON l.id = p.price_list_id WHERE s.code = 'SKU-000002' AND l.code = 'eur-retail'")
        }
        #expect(amount == 999)
        let skus = try importer(dir, "skus")
        try skus.importBatch([Record(["code": "NEW-1", "name": "New", "shipping_category_code": "fragile", "tags": .records([Record(["name": "brand-new"])])])])
        #expect(skus.report.created == 1)
        let linked = try dir.dataset.pool.read { db in
            try String.fetchOne(db, sql: "SELECT sc.code || '/' || t.name FROM skus s JOIN shipping_categories sc ON sc.id = s.shipping_category_id JOIN skus_tags st ON st.sku_id = s.id JOIN tags t ON t.id = st.tag_id WHERE s.code = 'NEW-1'")
        }
        #expect(linked == "fragile/brand-new")
        try skus.importBatch([Record(["code": "NEW-1", "name": "New", "shipping_category_code": "fragile"])])
        #expect(skus.report.unchanged == 1, "a second import of the same input changes nothing")
    }

    /// Into an empty table an import skips the natural-key lookups of keys it never created
    /// (`CreatedKeys`); what it did create, what an update gave a record, and what another
    /// connection wrote meanwhile must still be found and updated, never duplicated or refused.
    @Test func intoAnEmptyTableRepeatedKeysAndOtherWritersAreStillMatched() throws {
        let dir = try SeededDirectory(skus: 1)
        defer { dir.remove() }
        let skus = try importer(dir, "skus", mode: .live)
        func sku(_ code: String, _ name: String, id: String? = nil) -> FerryCore.Record {
            var record = FerryCore.Record(["code": .string(code), "name": .string(name)])
            if let id { record.append("id", .string(id)) }
            return record
        }
        func rows() throws -> [String: String] {
            try dir.environment.dataset(.live).pool.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT code, name FROM skus").map { ($0[0] as String, $0[1] as String) })
            }
        }
        try skus.importBatch([sku("A", "a1"), sku("B", "b1")])
        // A key created in an earlier batch updates its record.
        try skus.importBatch([sku("A", "a2"), sku("C", "c1")])
        #expect(try rows() == ["A": "a2", "B": "b1", "C": "c1"])
        // A record given a new key by an update (matched by id) is found by that key afterwards.
        let idOfB = try dir.environment.dataset(.live).pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM skus WHERE code = 'B'") }
        try skus.importBatch([sku("Z", "b2", id: idOfB)])
        try skus.importBatch([sku("Z", "b3")])
        #expect(try rows() == ["A": "a2", "Z": "b3", "C": "c1"])
        // Another connection writes a record: the import sees it and updates it.
        let other = try Dataset(mode: .live, directory: DataDirectory(url: dir.url))
        let writer = RecordImporter(dataset: other, type: try ResourceCatalog.commerce.type(named: "skus"))
        try writer.importBatch([sku("D", "d1")])
        try skus.importBatch([sku("D", "d2"), sku("E", "e1")])
        #expect(try rows() == ["A": "a2", "Z": "b3", "C": "c1", "D": "d2", "E": "e1"])
        #expect(skus.report.errors == 0, "\(skus.report.errorsLogJSON.jsonText)")
        #expect(skus.report.created == 4 && skus.report.updated == 4)
    }

    @Test func nestedIncludesImport() async throws {
        let dir = try SeededDirectory(skus: 6)
        defer { dir.remove() }
        let file = dir.path("nested.json")
        _ = try await dir.export(ExportPlan(resourceType: "skus", includes: ["prices.price_tiers", "stock_items"], dryData: true, output: file))
        // The target needs what nested records point at by natural key.
        for type in ["shipping_categories", "price_lists", "addresses", "stock_locations"] {
            _ = try await DatasetDuplicator(environment: dir.environment, from: .test, to: .live).run(types: [type])
        }
        let sink = DatasetSink(dataset: try dir.environment.dataset(.live), type: try ResourceCatalog.commerce.type(named: "skus"), options: .init())
        let source = FileSource(path: file, format: .json, resourceType: try ResourceCatalog.commerce.type(named: "skus"), catalog: .commerce)
        _ = try await PipelineRunner().run(Pipeline(name: "nested", source: source, sink: sink))
        #expect(await sink.report.errors == 0)
        let counts = Dictionary(uniqueKeysWithValues: try dir.environment.dataset(.live).recordCounts())
        #expect(counts["skus"] == 6 && counts["prices"] == 18 && counts["price_tiers"] == 12 && counts["stock_items"] == 12)
    }

    @Test func badRecordsAreLoggedAndNothingOfThemIsWritten() throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        let skus = try importer(dir, "skus", .init(skipErrors: true))
        try skus.importBatch([
            Record(["code": "OK-1", "name": "Fine"]),
            Record(["code": "BAD-1", "name": "Colour", "colour": "red"]),
            Record(["code": "BAD-2", "name": "Weight", "weight": "heavy"]),
            Record(["code": "BAD-3"]),
            Record(["code": "BAD-4", "name": "Dangling", "shipping_category_id": "AAAAAAAAAA"]),
            Record(["code": "BAD-5", "name": "Unknown key", "shipping_category_code": "nope"]),
            Record(["code": "BAD-6", "name": "Date", "created_at": "whenever", "metadata": "not an object"]),
        ])
        let log = skus.report.errorsLogJSON
        #expect(skus.report.created == 1 && skus.report.errors == 6)
        // Keyed by natural key (the SKU's code), as Commerce Layer keys its errors log.
        #expect(log["BAD-1"]?["colour"] != nil)
        #expect(log["BAD-2"]?["weight"]?.jsonText.contains("number") == true)
        #expect(log["BAD-3"]?["name"] == ["is required"])
        #expect(log["BAD-4"]?["shipping_category_id"] != nil)
        #expect(log["BAD-5"]?["shipping_category"]?.jsonText.contains("nope") == true)
        #expect(log["BAD-6"]?["metadata"] != nil)
        let written = try dir.dataset.pool.read { db in try String.fetchAll(db, sql: "SELECT code FROM skus WHERE code LIKE 'OK-%' OR code LIKE 'BAD-%'") }
        #expect(written == ["OK-1"])
    }

    /// Created records are written 64 to a statement; a row the database refuses (here a trigger)
    /// is logged against its own input and the other rows of its statement still go in.
    @Test func aRowTheDatabaseRefusesFailsAloneInItsMultiRowInsert() throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        try dir.dataset.pool.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_bad BEFORE INSERT ON skus WHEN NEW.code = 'ROW-070' BEGIN SELECT RAISE(ABORT, 'refused by the trigger'); END")
        }
        let skus = try importer(dir, "skus", .init(skipErrors: true))
        var records = (0..<150).map { Record(["code": .string(String(format: "ROW-%03d", $0)), "name": .string("Row \($0)")]) }
        records.append(Record(["code": "ROW-010", "name": "Renamed in the same batch"]))  // updates the row created above
        try skus.importBatch(records)
        #expect(skus.report.created == 149 && skus.report.updated == 1 && skus.report.errors == 1)
        #expect(skus.report.errorsLogJSON["ROW-070"]?["base"]?.jsonText.contains("refused by the trigger") == true)
        let (count, renamed) = try dir.dataset.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM skus WHERE code LIKE 'ROW-%'"),
             try String.fetchOne(db, sql: "SELECT name FROM skus WHERE code = 'ROW-010'"))
        }
        #expect(count == 149 && renamed == "Renamed in the same batch")
    }

    @Test func tooManyErrorsInterruptUnlessSkipped() async throws {
        let dir = try SeededDirectory(skus: 2)
        defer { dir.remove() }
        let type = try ResourceCatalog.commerce.type(named: "tags")
        let inputs = (0..<20).map { i in i % 4 == 0 ? Record(["name": .int(Int64(i))]) : Record(["name": .string("tag-\(i)")]) }
        let sink = DatasetSink(dataset: try dir.dataset, type: type, options: .init())
        await #expect(throws: ImportInterrupted.self) { try await sink.write(inputs) }
        let skipping = DatasetSink(dataset: try dir.dataset, type: type, options: .init(skipErrors: true))
        try await skipping.write(inputs)
        #expect(await skipping.report.errors == 5)
    }

    @Test func aResumedImportEqualsAStraightOne() async throws {
        let dir = try SeededDirectory(skus: 30)
        defer { dir.remove() }
        let file = dir.path("prices.ndjson")
        _ = try await dir.export(ExportPlan(resourceType: "skus", format: .ndjson, dryData: true, output: file))
        try await DatasetDuplicator(environment: dir.environment, from: .test, to: .live).run(types: ["shipping_categories"]).forEach { _ in }
        let skus = try ResourceCatalog.commerce.type(named: "skus")
        func pipeline(_ sink: DatasetSink) -> Pipeline {
            Pipeline(name: "import", source: FileSource(path: file, format: .ndjson, resourceType: skus, catalog: .commerce), sink: sink, batchSize: 7)
        }
        let live = try dir.environment.dataset(.live)
        let interrupted = CheckpointRecorder(failAfter: 2)
        await #expect(throws: CancellationError.self) { _ = try await PipelineRunner().run(pipeline(DatasetSink(dataset: live, type: skus, options: .init())), observer: interrupted) }
        let checkpoint = try #require(await interrupted.checkpoints.last)
        let resumed = DatasetSink(dataset: live, type: skus, options: .init())
        _ = try await PipelineRunner().run(pipeline(resumed), from: checkpoint)
        let report = await resumed.report
        #expect(report.created == 30 && report.inputs == 30, "no duplicate and no gap")
        let duplicates = try await live.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) - count(DISTINCT code) FROM skus") }
        #expect(duplicates == 0)
        #expect(try live.recordCounts().first { $0.type == "skus" }?.count == 30)
    }

    /// A run stopped after a batch's transaction but before its checkpoint (a kill between the
    /// two) redoes that batch when resumed, its records now unchanged: they are processed still,
    /// so the counts add up to the inputs.
    @Test func aBatchRedoneAfterAResumeIsCountedOnce() async throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        let file = dir.path("tags.ndjson")
        try ((0..<30).map { #"{"name":"redone-\#($0)"}"# }.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let tags = try ResourceCatalog.commerce.type(named: "tags")
        func pipeline(_ sink: DatasetSink) -> Pipeline {
            Pipeline(name: "import", source: FileSource(path: file, format: .ndjson, resourceType: tags, catalog: .commerce), sink: sink, batchSize: 7)
        }
        let killed = LostCheckpoints(keep: 2)
        await #expect(throws: CancellationError.self) { _ = try await PipelineRunner().run(pipeline(DatasetSink(dataset: try dir.dataset, type: tags, options: .init())), observer: killed) }
        let checkpoint = try #require(await killed.kept.last)
        #expect(checkpoint.recordsIn == 14)
        let resumed = DatasetSink(dataset: try dir.dataset, type: tags, options: .init())
        let result = try await PipelineRunner().run(pipeline(resumed), from: checkpoint)
        let report = await resumed.report
        #expect(report.created == 23 && report.unchanged == 7, "the third batch was written before the kill")
        #expect(report.processed == 30 && report.processed + report.errors == report.inputs)
        #expect(result.sink.recordsWritten == 30)
    }

    /// The errors log travels with the checkpoint: inputs refused before an interruption are still
    /// in the log of the resumed import, under the same labels.
    @Test func aResumedImportKeepsTheErrorsLoggedBeforeTheInterruption() async throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        let file = dir.path("skus.ndjson")
        let lines = (0..<30).map { i in
            i == 3 ? #"{"code":"R-3","name":"Heavy","weight":"heavy"}"# : #"{"code":"R-\#(i)","name":"Row \#(i)"}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let skus = try ResourceCatalog.commerce.type(named: "skus")
        func pipeline(_ sink: DatasetSink) -> Pipeline {
            Pipeline(name: "import", source: FileSource(path: file, format: .ndjson, resourceType: skus, catalog: .commerce), sink: sink, batchSize: 7)
        }
        let dataset = try dir.dataset
        let interrupted = CheckpointRecorder(failAfter: 2)
        await #expect(throws: CancellationError.self) { _ = try await PipelineRunner().run(pipeline(DatasetSink(dataset: dataset, type: skus, options: .init(skipErrors: true))), observer: interrupted) }
        let checkpoint = try #require(await interrupted.checkpoints.last)
        let resumed = DatasetSink(dataset: dataset, type: skus, options: .init(skipErrors: true))
        let result = try await PipelineRunner().run(pipeline(resumed), from: checkpoint)
        let report = await resumed.report
        #expect(report.created == 29 && report.errors == 1 && report.inputs == 30)
        #expect(report.errorsLogJSON["R-3"]?["weight"] != nil, "\(report.errorsLogJSON.jsonText)")
        #expect(result.sink.details["errors_log"] == report.errorsLogJSON)
    }

    @Test func theErrorsLogNamesAtMostItsLimitOfInputsButAllAreCounted() throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        let skus = try importer(dir, "skus", .init(skipErrors: true))
        let over = ImportReport.maxLoggedInputs + 25
        try skus.importBatch((0..<over).map { Record(["code": .string("NO-NAME-\($0)")]) })
        #expect(skus.report.errors == over)
        #expect(skus.report.errorsLog.count == ImportReport.maxLoggedInputs)
        #expect(skus.report.errorsLog.last?.key == "NO-NAME-\(ImportReport.maxLoggedInputs - 1)")
    }

    /// The errors log names an input by its natural key as given — a composite key's parts joined
    /// by `/`, less a part the parent gives — a nested input by its owner's key and path, two
    /// inputs of one key apart, and by its index only an input that gives no key.
    @Test func theErrorsLogIsKeyedByNaturalKeyElseByIndex() throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        let prices = try importer(dir, "prices", .init(skipErrors: true))
        try prices.importBatch([
            Record(["sku_code": "SKU-000001", "price_list_code": "eur-retail", "amount_cents": "lots"]),
            Record(["sku_code": "SKU-000002", "price_list_code": "eur-retail", "amount_cents": 10,
                    "price_tiers": .records([Record(["name": "bulk", "up_to": "many"])])]),
            Record(["amount_cents": "none"]),
        ])
        let log = prices.report.errorsLogJSON
        #expect(log["SKU-000001/eur-retail"]?["amount_cents"] != nil, "\(log.jsonText)")
        #expect(log["SKU-000002/eur-retail.price_tiers[0]"]?["up_to"] != nil, "\(log.jsonText)")
        #expect(log["#2"]?["amount_cents"] != nil, "\(log.jsonText)")
        let eur = try dir.dataset.pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM price_lists WHERE code = 'eur-retail'")! }
        let parented = try importer(dir, "prices", .init(parentID: eur, skipErrors: true))
        try parented.importBatch([Record(["sku_code": "SKU-000001", "amount_cents": "lots"])])
        #expect(parented.report.errorsLogJSON["SKU-000001"]?["amount_cents"] != nil, "\(parented.report.errorsLogJSON.jsonText)")
        let skus = try importer(dir, "skus", .init(skipErrors: true))
        try skus.importBatch([Record(["code": "TWICE", "name": "A", "weight": "x"]), Record(["code": "TWICE", "name": "B", "colour": "y"])])
        #expect(skus.report.errorsLogJSON["TWICE"]?["weight"] != nil)
        #expect(skus.report.errorsLogJSON["TWICE (#1)"]?["colour"] != nil, "\(skus.report.errorsLogJSON.jsonText)")
    }

    /// Cleaning up customer groups keeps the groups customers or markets still use, each named
    /// in the warnings log with what uses it, and clears no customer's group; an unused group goes.
    @Test func cleanupKeepsRecordsStillInUseAndSaysSo() throws {
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        try importer(dir, "customer_groups").importBatch([Record(["code": "UNUSED", "name": "Nobody's"])])
        func state() throws -> (groups: [String], grouped: Int) {
            try dir.dataset.pool.read { db in
                (try String.fetchAll(db, sql: "SELECT code FROM customer_groups ORDER BY code"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE customer_group_id IS NOT NULL") ?? 0)
            }
        }
        let before = try state()
        let used = try dir.dataset.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT code FROM customer_groups WHERE id IN (SELECT customer_group_id FROM customers UNION SELECT customer_group_id FROM markets)
                ORDER BY code
                """)
        }
        #expect(used.count >= 2 && before.grouped > 0, "the seed puts customers in groups")
        let named = used[0]
        let cleaning = try importer(dir, "customer_groups", .init(cleanup: true))
        try cleaning.importBatch([Record(["code": .string(named), "name": "Renamed"])])
        try cleaning.finish()
        let after = try state()
        #expect(after.groups == before.groups.filter { $0 != "UNUSED" }, "only the unused group goes")
        #expect(after.grouped == before.grouped, "no customer loses its group")
        #expect(cleaning.report.destroyed == before.groups.count - used.count)
        #expect(cleaning.report.warnings == used.count - 1)
        let warnings = cleaning.report.warningsLogJSON
        for code in used.dropFirst() {
            #expect(warnings[code]?.jsonText.contains("is still used by") == true, "\(warnings.jsonText)")
        }
        #expect(warnings.jsonText.contains("customers"), "\(warnings.jsonText)")
        #expect(warnings[named] == nil)
    }

    /// A SKU the inputs did not name goes with what it owns (prices and their tiers, stock items,
    /// its tag links) unless an order's line item still uses it: then it stays, with a warning.
    @Test func cleanupDeletesOwnedRecordsAndKeepsWhatOrdersUse() throws {
        let dir = try SeededDirectory(skus: 8)
        defer { dir.remove() }
        let location = try dir.dataset.pool.read { db in try String.fetchOne(db, sql: "SELECT code FROM stock_locations LIMIT 1")! }
        let lonely = try importer(dir, "skus")
        try lonely.importBatch([Record([
            "code": "LONELY", "name": "In no order", "tags": .records([Record(["name": "lonely-tag"])]),
            "prices": .records([Record([
                "price_list_code": "eur-retail", "amount_cents": 100,
                "price_tiers": .records([Record(["name": "bulk", "type": "PriceVolumeTier", "up_to": 10.0, "price_amount_cents": 90])]),
            ])]),
            "stock_items": .records([Record(["stock_location_code": .string(location), "quantity": 5])]),
        ])])
        #expect(lonely.report.errors == 0, "\(lonely.report.errorsLogJSON.jsonText)")
        let (inOrders, all) = try dir.dataset.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT DISTINCT s.code FROM skus s JOIN line_items li ON li.sku_id = s.id ORDER BY s.code"),
             try String.fetchAll(db, sql: "SELECT code FROM skus ORDER BY code"))
        }
        let kept = try #require(all.first { $0.hasPrefix("SKU-") })
        let cleaning = try importer(dir, "skus", .init(cleanup: true))
        let name = try dir.dataset.pool.read { db in try String.fetchOne(db, sql: "SELECT name FROM skus WHERE code = ?", arguments: [kept])! }
        try cleaning.importBatch([Record(["code": .string(kept), "name": .string(name)])])
        try cleaning.finish()
        let left = try dir.dataset.pool.read { db in try String.fetchAll(db, sql: "SELECT code FROM skus ORDER BY code") }
        #expect(left == Array(Set([kept] + inOrders)).sorted())
        #expect(!left.contains("LONELY") && all.contains("LONELY"))
        #expect(cleaning.report.destroyed == all.count - left.count)
        let orphans = try dir.dataset.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM prices WHERE sku_id NOT IN (SELECT id FROM skus))
                     + (SELECT count(*) FROM price_tiers WHERE price_id NOT IN (SELECT id FROM prices))
                     + (SELECT count(*) FROM stock_items WHERE sku_id NOT IN (SELECT id FROM skus))
                     + (SELECT count(*) FROM skus_tags WHERE sku_id NOT IN (SELECT id FROM skus))
                     + (SELECT count(*) FROM line_items WHERE sku_id IS NOT NULL AND sku_id NOT IN (SELECT id FROM skus))
                """)
        }
        #expect(orphans == 0)
        for code in inOrders where code != kept {
            #expect(cleaning.report.warningsLogJSON[code]?.jsonText.contains("line item") == true, "\(cleaning.report.warningsLogJSON.jsonText)")
        }
    }

    /// Imports a CSV file through the `file` source and the `dataset` sink, as a job does.
    static func importCSV(_ dir: SeededDirectory, _ type: String, _ csv: String, options: RecordImporter.Options = .init()) async throws -> ImportReport {
        let file = dir.path("\(type)-\(UUID().uuidString).csv")
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let resource = try ResourceCatalog.commerce.type(named: type)
        let sink = DatasetSink(dataset: try dir.dataset, type: resource, options: options)
        _ = try await PipelineRunner().run(Pipeline(name: "import", source: FileSource(path: file, format: .csv, resourceType: resource, catalog: .commerce), sink: sink))
        return await sink.report
    }

    /// Commerce Layer's documented CSV layouts: a relationship's attributes under dotted
    /// headers (one price tier per row, a price's rows adding its tiers), tags as comma-separated
    /// names, and the `_add_tags` / `_remove_tags` triggers; the same dotted fields in JSON inputs.
    @Test func commerceLayerCSVLayouts() async throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        let eur = try await dir.dataset.pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM price_lists WHERE code = 'eur-retail'")! }
        let prices = try await Self.importCSV(dir, "prices", """
            amount_cents,compare_at_amount_cents,sku_code,price_tiers.type,price_tiers.name,price_tiers.up_to,price_tiers.price_amount_cents
            10000,13000,SKU-000001,PriceVolumeTier,six pack,6,9000
            10000,13000,SKU-000001,PriceVolumeTier,twelve pack,12,8000
            20000,,SKU-000002,,,,

            """, options: .init(parentID: eur))
        #expect(prices.errors == 0, "\(prices.errorsLogJSON.jsonText)")
        func tiers(_ sku: String) throws -> [String] {
            try dir.dataset.pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT t.name || ':' || t.up_to || ':' || t.price_amount_cents FROM price_tiers t JOIN prices p ON p.id = t.price_id
                    JOIN skus s ON s.id = p.sku_id WHERE s.code = ? AND p.price_list_id = ? ORDER BY t.up_to
                    """, arguments: [sku, eur])
            }
        }
        #expect(try tiers("SKU-000001").filter { $0.hasPrefix("six") || $0.hasPrefix("twelve") } == ["six pack:6.0:9000", "twelve pack:12.0:8000"])
        let amount = try await dir.dataset.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT p.amount_cents FROM prices p JOIN skus s ON s.id = p.sku_id WHERE s.code = 'SKU-000002' AND p.price_list_id = ?", arguments: [eur])
        }
        #expect(amount == 20000)

        // The flat fields in JSON inputs, as Commerce Layer's own import app sends them.
        let json = try importer(dir, "prices", .init(parentID: eur))
        try json.importBatch([Record(["sku_code": "SKU-000003", "amount_cents": 500, "price_tiers.type": "PriceVolumeTier",
                                      "price_tiers.name": "pair", "price_tiers.up_to": 2, "price_tiers.price_amount_cents": 450])])
        #expect(json.report.errors == 0, "\(json.report.errorsLogJSON.jsonText)")
        #expect(try tiers("SKU-000003").contains("pair:2.0:450"))

        func tags(_ email: String) throws -> [String] {
            try dir.dataset.pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT t.name FROM tags t JOIN customers_tags ct ON ct.tag_id = t.id JOIN customers c ON c.id = ct.customer_id
                    WHERE c.email = ? ORDER BY t.name
                    """, arguments: [email])
            }
        }
        let tagged = try await Self.importCSV(dir, "customers", """
            email,tags.name
            ann@example.com,"vip,newsletter"
            bob@example.com,newsletter

            """)
        #expect(tagged.errors == 0, "\(tagged.errorsLogJSON.jsonText)")
        #expect(try tags("ann@example.com") == ["newsletter", "vip"])
        #expect(try tags("bob@example.com") == ["newsletter"])
        let triggered = try await Self.importCSV(dir, "customers", """
            email,_add_tags,_remove_tags
            bob@example.com,"vip,no-such-tag",newsletter
            ann@example.com,,vip

            """)
        #expect(triggered.errors == 0, "\(triggered.errorsLogJSON.jsonText)")
        #expect(try tags("bob@example.com") == ["vip"])
        #expect(try tags("ann@example.com") == ["newsletter"])
        #expect(triggered.warningsLogJSON["bob@example.com"]?.jsonText.contains("no-such-tag") == true, "\(triggered.warningsLogJSON.jsonText)")
        #expect(triggered.warnings == 1)

        // A tags column of names, as the resource's own relationship.
        let skus = try await Self.importCSV(dir, "skus", "code,name,tags\nTAGGED-1,Tagged,\"red, blue\"\n")
        #expect(skus.errors == 0, "\(skus.errorsLogJSON.jsonText)")
        let skuTags = try await dir.dataset.pool.read { db in
            try String.fetchAll(db, sql: "SELECT t.name FROM tags t JOIN skus_tags st ON st.tag_id = t.id JOIN skus s ON s.id = st.sku_id WHERE s.code = 'TAGGED-1' ORDER BY t.name")
        }
        #expect(skuTags == ["blue", "red"])
    }

    @Test func parentAndCleanup() throws {
        let dir = try SeededDirectory(skus: 4)
        defer { dir.remove() }
        let eur = try dir.dataset.pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM price_lists WHERE code = 'eur-retail'")! }
        let prices = try importer(dir, "prices", .init(parentID: eur, cleanup: true))
        try prices.importBatch([Record(["sku_code": "SKU-000001", "amount_cents": 100]), Record(["sku_code": "SKU-000002", "amount_cents": 200])])
        try prices.finish()
        #expect(prices.report.updated == 2)
        #expect(prices.report.destroyed == 2, "the other two EUR prices go; other lists stay")
        let counts = try dir.dataset.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT l.code, count(*) FROM prices p JOIN price_lists l ON l.id = p.price_list_id GROUP BY l.code ORDER BY l.code").map { "\($0[0] as String)=\($0[1] as Int)" }
        }
        #expect(counts == ["eur-retail=2", "gbp-retail=4", "usd-retail=4"])
    }
}

@Suite struct DuplicateOptionsTests {
    @Test func filteredAndAnonymizedDuplicationVerifiesAndIsIdempotent() async throws {
        let dir = try SeededDirectory(skus: 30)
        defer { dir.remove() }
        let duplicator = DatasetDuplicator(
            environment: dir.environment, from: .test, to: .live, filters: ["orders": ["status_in": ["placed", "approved"]]],
            anonymizer: AnonymizeTransform(fields: AnonymizeTransform.defaultFields, salt: "t"))
        let first = try await duplicator.run()
        #expect(first.allSatisfy { $0.verified && $0.report.errors == 0 }, "\(first.filter { !$0.verified }.map(\.type))")
        let orders = try #require(first.first { $0.type == "orders" })
        let placed = try await dir.dataset.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE status IN ('placed', 'approved')") }
        #expect(orders.sourceCount == placed && orders.report.created == placed)
        let lineItems = try #require(first.first { $0.type == "line_items" })
        #expect(lineItems.report.created < (try dir.dataset.recordCounts().first { $0.type == "line_items" }?.count ?? 0), "line items follow their orders")
        let leaked = try await dir.environment.dataset(.live).pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE email NOT LIKE 'user-%@example.com'")
        }
        #expect(leaked == 0, "no real email reaches the target")
        let second = try await duplicator.run()
        #expect(second.allSatisfy { $0.verified && $0.report.created == 0 && $0.report.updated == 0 })
    }
}

@Suite struct ArchiveTests {
    @Test func anArchiveReplaysIntoAnotherInstallationAndVerifies() async throws {
        let source = try SeededDirectory(skus: 25)
        let target = try SeededDirectory(skus: 1)  // a different data directory, as on another machine
        defer { source.remove(); target.remove() }
        let file = source.path("catalog.ferry")
        let manifest = try await DatasetArchive.write(DatasetDuplicator(environment: source.environment, from: .test, to: .live), to: file)
        #expect(manifest.count == ResourceCatalog.commerce.types.count)
        let results = try await DatasetArchive.replay(file, into: .live, environment: target.environment)
        #expect(results.count == manifest.count)
        #expect(results.allSatisfy { $0.verified && $0.report.errors == 0 }, "\(results.filter { !$0.verified }.map(\.type))")
        let again = try await DatasetArchive.replay(file, into: .live, environment: target.environment)
        #expect(again.allSatisfy { $0.verified && $0.report.created == 0 && $0.report.updated == 0 })
    }

    @Test func aTruncatedArchiveIsRefused() async throws {
        let source = try SeededDirectory(skus: 5)
        defer { source.remove() }
        let file = source.path("catalog.ferry")
        _ = try await DatasetArchive.write(DatasetDuplicator(environment: source.environment, from: .test, to: .live), to: file)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: file))
        await #expect(throws: (any Error).self) { _ = try await DatasetArchive.replay(file, into: .live, environment: source.environment) }
    }
}

/// An observer whose checkpoints after the first `keep` are lost, as when the process dies after
/// a batch's transaction and before the checkpoint is stored: the run stops there.
actor LostCheckpoints: PipelineObserver {
    let keep: Int
    var kept: [Checkpoint] = []

    init(keep: Int) { self.keep = keep }

    func checkpoint(_ checkpoint: Checkpoint) async throws {
        guard kept.count < keep else { throw CancellationError() }
        kept.append(checkpoint)
    }

    func progress(_ progress: PipelineProgress) async {}
}
