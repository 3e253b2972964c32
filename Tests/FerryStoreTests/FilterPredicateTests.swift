import FerryCore
import FerryStore
import GRDB
import Testing

/// Every predicate against hand-computed expectations on a small fixture, through SQL and in memory.
@Suite struct FilterPredicateTests {
    /// code, name, description, pieces_per_pack, weight, do_not_ship, shipping category, created_at, metadata
    static let skus: [(String, String, String?, Int?, Double?, Bool?, String?, String, String?)] = [
        ("A1", "Red Shirt", "cotton 100%", 1, 10.5, false, "standard", "2026-01-01T00:00:00.000Z", #"{"season":"fall","rank":1}"#),
        ("A2", "red cap", "", nil, 0.0, true, "oversize", "2026-02-01T10:00:00.000Z", nil),
        ("B1", "Blue_Mug", nil, 12, 250, false, nil, "2026-03-01T00:00:00.000Z", #"{"season":"spring","tags":["x"]}"#),
        ("B2", "Émile Bag", "wool", 3, nil, nil, "standard", "2026-04-01T00:00:00.000Z", "{}"),
        ("C1", "50% off", "promo", 0, -1.5, true, "oversize", "2025-12-31T23:59:59.999Z", nil),
    ]

    static func makeFixture(_ directory: TemporaryDirectory) throws -> Dataset {
        let dataset = try Dataset.temporary(directory)
        try dataset.pool.write { db in
            let now = "2026-01-01T00:00:00.000Z"
            for (id, code, name) in [("sc-std", "standard", "Standard"), ("sc-big", "oversize", "Oversize")] {
                try db.execute(
                    sql: "INSERT INTO shipping_categories (id, code, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, code, name, now, now])
            }
            for sku in skus {
                let category = sku.6.map { $0 == "standard" ? "sc-std" : "sc-big" }
                try db.execute(
                    sql: """
                        INSERT INTO skus (id, code, name, description, pieces_per_pack, weight, do_not_ship,
                          shipping_category_id, created_at, updated_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: ["id-" + sku.0, sku.0, sku.1, sku.2, sku.3, sku.4, sku.5, category, sku.7, sku.7, sku.8])
            }
        }
        return dataset
    }

    static let cases: [(key: String, value: JSONValue, expected: [String])] = [
        ("code_eq", "A1", ["A1"]),
        ("code_not_eq", "A1", ["A2", "B1", "B2", "C1"]),
        ("description_eq_or_null", "wool", ["B1", "B2"]),
        ("description_not_eq_or_null", "wool", ["A1", "A2", "B1", "C1"]),
        ("pieces_per_pack_lt", 3, ["A1", "C1"]),
        ("pieces_per_pack_lteq", 3, ["A1", "B2", "C1"]),
        ("pieces_per_pack_gt", "3", ["B1"]),
        ("pieces_per_pack_gteq", 12, ["B1"]),
        ("weight_lt", 0, ["C1"]),
        ("weight_eq", 10.5, ["A1"]),
        ("weight_gteq", "0", ["A1", "A2", "B1"]),
        ("code_in", ["A1", "B2"], ["A1", "B2"]),
        ("code_in", "A1, C1", ["A1", "C1"]),
        ("code_in", [], []),
        ("code_not_in", "A1,A2", ["B1", "B2", "C1"]),
        ("pieces_per_pack_in_or_null", [1], ["A1", "A2"]),
        ("pieces_per_pack_not_in_or_null", [1, 12], ["A2", "B2", "C1"]),
        ("name_matches", "red%", ["A1", "A2"]),
        ("name_does_not_match", "%a%", ["A1", "B1", "C1"]),
        ("name_start", "RED", ["A1", "A2"]),
        ("name_not_start", "red", ["B1", "B2", "C1"]),
        ("name_end", "mug", ["B1"]),
        ("name_not_end", "g", ["A1", "A2", "C1"]),
        ("name_cont", "_", ["B1"]),
        ("name_cont", "%", ["C1"]),
        ("name_not_cont", "e", ["C1"]),
        ("name_cont_any", ["shirt", "mug"], ["A1", "B1"]),
        ("name_cont_all", ["red", "shirt"], ["A1"]),
        ("name_not_cont_all", ["red", "cap"], ["B1", "B2", "C1"]),
        ("name_start_any", "red,blue", ["A1", "A2", "B1"]),
        ("name_end_any", ["cap", "bag"], ["A2", "B2"]),
        ("name_matches_any", ["%shirt", "%cap"], ["A1", "A2"]),
        ("name_matches_all", ["%e%", "%d%"], ["A1", "A2"]),
        ("description_null", true, ["B1"]),
        ("description_null", false, ["A1", "A2", "B2", "C1"]),
        ("description_not_null", true, ["A1", "A2", "B2", "C1"]),
        ("description_present", true, ["A1", "B2", "C1"]),
        ("description_present", false, ["A2", "B1"]),
        ("description_blank", true, ["A2", "B1"]),
        ("description_blank", "0", ["A1", "B2", "C1"]),
        ("do_not_ship_true", true, ["A2", "C1"]),
        ("do_not_ship_true", false, ["A1", "B1"]),
        ("do_not_ship_false", true, ["A1", "B1"]),
        ("do_not_ship_eq", "f", ["A1", "B1"]),
        ("metadata_jcont", ["season": "fall"], ["A1"]),
        ("metadata_jcont", #"{"tags":["x"]}"#, ["B1"]),
        ("metadata_jcont", [:], ["A1", "B1", "B2"]),
        ("metadata_null", true, ["A2", "C1"]),
        ("code_eq_any", ["A1", "C1"], ["A1", "C1"]),
        ("code_eq_all", ["A1", "A2"], []),
        ("pieces_per_pack_lt_any", [1, 4], ["A1", "B2", "C1"]),
        ("pieces_per_pack_lt_all", [2, 13], ["A1", "C1"]),
        ("pieces_per_pack_gt_any", [5, 0], ["A1", "B1", "B2"]),
        ("pieces_per_pack_gt_all", [0, 5], ["B1"]),
        // The rest of Ransack's _any/_all matrix: the base applied to each value, ORed or ANDed.
        ("code_not_eq_any", ["A1", "A2"], ["A1", "A2", "B1", "B2", "C1"]),
        ("code_not_eq_all", "A1,A2", ["B1", "B2", "C1"]),
        ("pieces_per_pack_lteq_any", [0, 3], ["A1", "B2", "C1"]),
        ("pieces_per_pack_lteq_all", [3, 1], ["A1", "C1"]),
        ("pieces_per_pack_gteq_any", [12, 3], ["B1", "B2"]),
        ("weight_gteq_all", [0, 10.5], ["A1", "B1"]),
        ("code_in_any", [["A1", "B1"], ["C1"]], ["A1", "B1", "C1"]),
        ("code_in_all", [["A1", "A2"], ["A2", "B1"]], ["A2"]),
        ("code_not_in_any", [["A1", "A2"], ["A2", "B1"]], ["A1", "B1", "B2", "C1"]),
        ("code_not_in_all", [["A1"], ["B1", "B2"]], ["A2", "C1"]),
        ("name_does_not_match_any", ["%e%", "%r%"], ["B1", "B2", "C1"]),
        ("name_does_not_match_all", ["%e%", "%r%"], ["C1"]),
        ("name_start_all", ["re", "red s"], ["A1"]),
        ("name_not_start_any", ["red", "r"], ["B1", "B2", "C1"]),
        ("name_not_start_all", "red,blue", ["B2", "C1"]),
        ("name_end_all", ["g", "ag"], ["B2"]),
        ("name_not_end_any", ["g", "ag"], ["A1", "A2", "B1", "C1"]),
        ("name_not_end_all", ["g", "t"], ["A2", "C1"]),
        ("name_not_cont_any", ["e", "a"], ["A1", "B1", "C1"]),
        ("created_at_gteq_all", ["2026-01-01", "2026-02-15"], ["B1", "B2"]),
        ("created_at_lteq_any", ["2025-12-31T23:59:59.999Z", "2026-01-01"], ["A1", "C1"]),
        // Commerce Layer's id list.
        ("ids", "id-A1, id-C1", ["A1", "C1"]),
        ("ids", ["id-B1"], ["B1"]),
        ("created_at_gt", "2026-01-15", ["A2", "B1", "B2"]),
        ("created_at_lt", "2026-01-01T00:00:00Z", ["C1"]),
        ("created_at_gteq", "2026-01-01T01:00:00+01:00", ["A1", "A2", "B1", "B2"]),
        ("created_at_lteq", "2025-12-31T23:59:59.999Z", ["C1"]),
        ("shipping_category_code_eq", "standard", ["A1", "B2"]),
        ("shipping_category_code_null", true, ["B1"]),
        ("shipping_category_code_not_eq", "standard", ["A2", "C1"]),
        ("shipping_category_name_start", "over", ["A2", "C1"]),
        ("shipping_category_id_null", true, ["B1"]),
        ("code_or_name_cont", "1", ["A1", "B1", "C1"]),
        ("code_or_description_start", "w", ["B2"]),
        ("name_or_shipping_category_code_cont", "size", ["A2", "C1"]),
    ]

    @Test func everyPredicateMatchesHandComputedExpectations() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Self.makeFixture(directory)
        let skus = try dataset.catalog.type(named: "skus")
        let memory = try MemoryDataset(dataset, types: ["skus", "shipping_categories"])
        var predicatesCovered = Set<FilterPredicate>()
        for testCase in Self.cases {
            let filter = try Filter([(key: testCase.key, value: testCase.value)], for: skus, in: dataset.catalog)
            predicatesCovered.insert(filter.conditions[0].predicate)
            let expected = testCase.expected.map { "id-" + $0 }
            let viaSQL = try dataset.ids(RecordQuery(type: skus, filter: filter))
            #expect(viaSQL == expected, "SQL: \(testCase.key) = \(testCase.value.jsonText)")
            #expect(memory.ids("skus", matching: filter) == expected, "memory: \(testCase.key) = \(testCase.value.jsonText)")
        }
        #expect(predicatesCovered == Set(FilterPredicate.allCases), "uncovered: \(Set(FilterPredicate.allCases).subtracting(predicatesCovered))")
    }

    @Test func keysAreANDed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Self.makeFixture(directory)
        let skus = try dataset.catalog.type(named: "skus")
        let filter = try Filter([(key: "name_start", value: "red"), (key: "do_not_ship_true", value: true)], for: skus, in: dataset.catalog)
        #expect(try dataset.ids(RecordQuery(type: skus, filter: filter)) == ["id-A2"])
        #expect(try dataset.count(RecordQuery(type: skus, filter: filter)) == 1)
    }

    @Test func likeAgreesWithSQLite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Dataset.temporary(directory)
        let texts = ["Red Shirt", "", "a%b", "a_b", "Émile", "émile", "back\\slash", "abcabc", "ÀB", "x"]
        let patterns = ["red%", "%SHIRT", "r_d shirt", "%", "_", "a\\%b", "a\\_b", "émile", "_mile", "%b%c", "%\\\\%", "à%", "X", "%%"]
        try dataset.pool.read { db in
            for text in texts {
                for pattern in patterns {
                    let sqlite = try Bool.fetchOne(db, sql: "SELECT ? LIKE ? ESCAPE '\\'", arguments: [text, pattern])
                    #expect(sqlite == LikePattern.matches(text, pattern: pattern), "'\(text)' LIKE '\(pattern)'")
                }
            }
        }
    }

    @Test func injectionThroughValuesReturnsNoExtraRows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Self.makeFixture(directory)
        let skus = try dataset.catalog.type(named: "skus")
        let attempts: [(String, JSONValue)] = [
            ("code_eq", "A1' OR '1'='1"), ("name_cont", "%' OR 1=1 --"), ("code_in", "A1') OR ('1'='1"),
            ("code_eq", "A1\"; DROP TABLE skus; --"), ("metadata_jcont", #"{"season":"fall') OR 1=1 --"}"#),
            ("name_matches", "x' ESCAPE '' OR 1=1 --"),
        ]
        for (key, value) in attempts {
            let filter = try Filter([(key: key, value: value)], for: skus, in: dataset.catalog)
            #expect(try dataset.ids(RecordQuery(type: skus, filter: filter)).isEmpty, "\(key) = \(value.jsonText)")
        }
        #expect(try dataset.count(RecordQuery(type: skus)) == Self.skus.count, "the table is intact")
    }
}
