import FerryCore
import FerryStages
import FerryStore
import Foundation
import Testing

@Suite struct ExportStageTests {
    @Test func jsonAndCSVParseWithIndependentParsers() async throws {
        let dir = try SeededDirectory(skus: 80)
        defer { dir.remove() }
        let json = dir.path("skus.json.gz"), csv = dir.path("skus.csv.gz"), ndjson = dir.path("skus.ndjson")
        _ = try await dir.export(ExportPlan(resourceType: "skus", includes: ["prices.price_tiers", "stock_items", "shipping_category"], output: json, batchSize: 30))
        _ = try await dir.export(ExportPlan(resourceType: "skus", format: .csv, includes: ["prices", "shipping_category"], output: csv, batchSize: 30))
        _ = try await dir.export(ExportPlan(resourceType: "skus", format: .ndjson, output: ndjson, batchSize: 30))
        let jsonCheck = try Python.run("import json,gzip,sys; d=json.load(gzip.open(sys.argv[1])); print(len(d), len(d[0]['prices']), 'price_tiers' in d[0]['prices'][0], d[0]['shipping_category']['code'] != '')", json)
        #expect(jsonCheck == "80 3 True True")
        let csvCheck = try Python.run("import csv,gzip,io,sys,json; r=list(csv.reader(io.TextIOWrapper(gzip.open(sys.argv[1]), newline=''))); h=r[0]; print(len(r)-1, 'shipping_category.code' in h, len(json.loads(r[1][h.index('prices')])), all(len(x)==len(h) for x in r))", csv)
        #expect(csvCheck == "80 True 3 True")
        let ndjsonCheck = try Python.run("import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)['code']))", ndjson)
        #expect(ndjsonCheck == "80")
    }

    @Test func includesTakeABoundedNumberOfQueries() async throws {
        let dir = try SeededDirectory(skus: 200)
        defer { dir.remove() }
        let dataset = try dir.dataset
        dataset.queryCounter.isEnabled = true
        func queries(skus limit: Int, batchSize: Int) async throws -> Int {
            let before = dataset.queryCounter.value
            let filter = JSONValue.object([JSONMember("code_lteq", .string(String(format: "SKU-%06d", limit)))])
            _ = try await dir.export(ExportPlan(resourceType: "skus", includes: ["prices.price_tiers", "stock_items", "tags"], filters: filter, output: dir.path("q.json"), batchSize: batchSize))
            return dataset.queryCounter.value - before
        }
        let small = try await queries(skus: 50, batchSize: 50)
        let large = try await queries(skus: 200, batchSize: 50)
        // Per batch: one page read and four relationship queries (prices, price_tiers, stock_items, tags).
        #expect(large - small <= 3 * 5 + 2, "queries grow with batches, not records: \(small) → \(large)")
        #expect(large < 200, "never one query per record")
    }

    @Test func dryDataHasNoIdsNoNullsAndNaturalKeys() async throws {
        let dir = try SeededDirectory(skus: 30)
        defer { dir.remove() }
        let out = dir.path("prices.ndjson")
        _ = try await dir.export(ExportPlan(resourceType: "prices", format: .ndjson, includes: ["price_tiers"], dryData: true, output: out))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 90)
        let catalog = ResourceCatalog.commerce
        let prices = try catalog.type(named: "prices")
        let filter = try Filter([(key: "sku_code_eq", value: "SKU-000001"), (key: "price_list_code_eq", value: "eur-retail")], for: prices, in: catalog)
        var matched = 0
        for line in lines {
            let json = try JSONParser.parse(String(line))
            for forbidden in ["id", "created_at", "updated_at", "sku_id", "price_list_id", "amount_float", "formatted_amount"] {
                #expect(json[forbidden] == nil, "\(forbidden) in dry data")
            }
            #expect(!line.contains("null"))
            #expect(json["sku_code"] != nil && json["price_list_code"] != nil)
            if case .array(let tiers)? = json["price_tiers"] {
                for tier in tiers { #expect(tier["price_id"] == nil && tier["price_sku_code"] == nil, "a nested tier does not repeat its parent") }
            }
            // Dry records replay into the filter language's record model.
            let record = try #require(json.asRecord)
            if filter.matches(record) { matched += 1 }
        }
        #expect(matched == 1)
    }

    @Test func unknownIncludeFieldAndPredicateNameTheKey() throws {
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        func message(_ plan: ExportPlan) -> String {
            do {
                _ = try dir.registry.build(plan.definition(catalog: .commerce), catalog: .commerce)
                return "built"
            } catch {
                return String(describing: error)
            }
        }
        #expect(message(ExportPlan(resourceType: "skus", includes: ["pricez"], output: "-")).contains("pricez"))
        #expect(message(ExportPlan(resourceType: "skus", includes: ["prices.price_tiers.price.sku"], output: "-")).contains("deeper"))
        #expect(message(ExportPlan(resourceType: "skus", fields: ["colour"], output: "-")).contains("colour"))
        #expect(message(ExportPlan(resourceType: "skus", filters: ["colour_eq": "red"], output: "-")).contains("colour_eq"))
        #expect(message(ExportPlan(resourceType: "skus", filters: ["code_startz": "A"], output: "-")).contains("code_startz"))
        #expect(message(ExportPlan(resourceType: "widgets", output: "-")).contains("widgets"))
    }

    @Test func fieldsSelectMainAndRelatedFields() async throws {
        let dir = try SeededDirectory(skus: 10)
        defer { dir.remove() }
        let out = dir.path("f.json")
        _ = try await dir.export(ExportPlan(resourceType: "skus", fields: ["code", "prices.amount_cents", "stock_items.*"], output: out))
        let json = try JSONParser.parse(try Gunzip.read(out))
        guard case .array(let records) = json, let first = records.first, case .object(let members) = first else { Issue.record("not an array"); return }
        #expect(members.map(\.key) == ["code", "prices", "stock_items"])
        #expect(first["prices"].flatMap { if case .array(let p) = $0 { return p.first } else { return nil } }.map { $0.jsonText.contains("amount_cents") && !$0.jsonText.contains("currency_code") } == true)
    }

    @Test func csvNeutralisesFormulasAndReadsThemBackExactly() async throws {
        let dir = try SeededDirectory(skus: 3)
        defer { dir.remove() }
        let dataset = try dir.dataset
        let tricky = ["=SUM(A1:A3)", "+1", "-2", "@cmd", "'quoted", "a,b", "line\nbreak", "say \"hi\"", "", " padded "]
        try await dataset.pool.write { db in
            for (i, text) in tricky.enumerated() {
                try db.execute(sql: "UPDATE skus SET description = ? WHERE code = ?", arguments: [text, String(format: "SKU-%06d", 1)])
                _ = i
            }
            try db.execute(sql: "UPDATE skus SET description = ? WHERE code = 'SKU-000002'", arguments: [tricky[0]])
        }
        for text in tricky {
            try await dataset.pool.write { db in try db.execute(sql: "UPDATE skus SET description = ? WHERE code = 'SKU-000001'", arguments: [text]) }
            let out = dir.path("t.csv")
            _ = try await dir.export(ExportPlan(resourceType: "skus", format: .csv, fields: ["code", "description"], filters: ["code_eq": "SKU-000001"], output: out))
            let raw = String(decoding: try Gunzip.read(out), as: UTF8.self)
            if let first = text.first, "=+-@".contains(first) { #expect(raw.contains("\"'\(text)"), "neutralised: \(raw)") }
            let source = FileSource(path: out, format: .csv, resourceType: try ResourceCatalog.commerce.type(named: "skus"), catalog: .commerce)
            var read: [Record] = []
            try await source.read(from: nil, batchSize: 10) { read += $0.records }
            #expect(read.first?["description"] == .string(text), "round trip of \(text.debugDescription)")
        }
    }

    @Test func fileSourceReadsBackWhatSinksWrite() async throws {
        let dir = try SeededDirectory(skus: 40)
        defer { dir.remove() }
        let skus = try ResourceCatalog.commerce.type(named: "skus")
        var outputs: [[Record]] = []
        for (format, name) in [(OutputFormat.json, "r.json.gz"), (.ndjson, "r.ndjson.gz"), (.csv, "r.csv")] {
            let path = dir.path(name)
            _ = try await dir.export(ExportPlan(resourceType: "skus", format: format, dryData: true, output: path, batchSize: 7))
            var read: [Record] = []
            try await FileSource(path: path, format: format, resourceType: skus, catalog: .commerce).read(from: nil, batchSize: 9) { read += $0.records }
            outputs.append(read.map { $0.removingNulls() })
        }
        #expect(outputs[0].count == 40)
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
    }

    @Test func malformedFilesGivePreciseErrors() async throws {
        let dir = try SeededDirectory(skus: 2)
        defer { dir.remove() }
        let broken = dir.path("broken.json")
        try "[{\"code\":\"A\"},\n{\"code\": }]".write(toFile: broken, atomically: true, encoding: .utf8)
        await #expect {
            try await FileSource(path: broken, format: .json, resourceType: nil, catalog: .commerce).read(from: nil, batchSize: 10) { _ in }
        } throws: { error in
            String(describing: error).contains("record 2")
        }
        let truncated = dir.path("t.json.gz")
        _ = try await dir.export(ExportPlan(resourceType: "skus", output: truncated))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try bytes.prefix(bytes.count - 12).write(to: URL(fileURLWithPath: truncated))
        await #expect(throws: FormatError.self) {
            try await FileSource(path: truncated, format: .json, resourceType: nil, catalog: .commerce).read(from: nil, batchSize: 10) { _ in }
        }
    }
}

extension JSONValue {
    /// The object as a record of plain values.
    var asRecord: Record? {
        guard case .object(let members) = self else { return nil }
        var record = Record()
        for member in members {
            switch member.value {
            case .string(let s): record.append(member.key, .string(s))
            case .int(let i): record.append(member.key, .int(i))
            default: record.append(member.key, .json(member.value))
            }
        }
        return record
    }
}

extension Record {
    func removingNulls() -> Record {
        var copy = self
        copy.removeAll { _, value in value.isNull }
        return copy
    }
}
