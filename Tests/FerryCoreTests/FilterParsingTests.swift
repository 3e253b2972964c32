import Testing
@testable import FerryCore

@Suite struct FilterParsingTests {
    let catalog = ResourceCatalog.commerce

    func parse(_ type: String, _ entries: [(String, JSONValue)]) throws -> Filter {
        try Filter(entries.map { (key: $0.0, value: $0.1) }, for: catalog.type(named: type), in: catalog)
    }

    @Test func readsTheLongestPredicateSuffix() throws {
        let filter = try parse("skus", [("name_not_eq", "x"), ("code_not_cont_all", "a,b"), ("description_not_null", true)])
        #expect(filter.conditions.map(\.predicate) == [FilterPredicate(.notEq), FilterPredicate(.notCont, .all), FilterPredicate(.notNull)])
        #expect(filter.conditions.map { $0.paths[0].attribute.name } == ["name", "code", "description"])
    }

    @Test func resolvesAttributesThroughBelongsTo() throws {
        let filter = try parse("prices", [("sku_code_start", "SKU"), ("price_list_currency_code_eq", "EUR"), ("sku_shipping_category_code_eq", "std")])
        #expect(filter.conditions[0].paths[0].relationships.map(\.name) == ["sku"])
        #expect(filter.conditions[1].paths[0].relationships.map(\.name) == ["price_list"])
        #expect(filter.conditions[2].paths[0].relationships.map(\.name) == ["sku", "shipping_category"])
        #expect(filter.conditions[2].paths[0].description == "sku_shipping_category_code")
    }

    @Test func splitsOrCombinations() throws {
        let filter = try parse("skus", [("code_or_name_cont", "shirt")])
        #expect(filter.conditions[0].paths.map(\.attribute.name) == ["code", "name"])
    }

    @Test func foreignKeysAreFilterable() throws {
        let filter = try parse("prices", [("price_list_id_eq", "abc")])
        #expect(filter.conditions[0].paths[0].column == "price_list_id")
    }

    @Test func typesOperandsByAttribute() throws {
        let filter = try parse("skus", [
            ("pieces_per_pack_gt", "3"), ("weight_lt", 2), ("do_not_ship_eq", "true"),
            ("created_at_gteq", "2026-01-01"), ("code_in", "A, B,C"),
        ])
        #expect(filter.conditions[0].test == .compare(.greater, .int(3)))
        #expect(filter.conditions[1].test == .compare(.less, .double(2)))
        #expect(filter.conditions[2].test == .compare(.equal, .bool(true)))
        #expect(filter.conditions[3].test == .compare(.greaterOrEqual, .timestamp(Timestamp(year: 2026, month: 1, day: 1))))
        #expect(filter.conditions[4].test == .inList(["A", "B", "C"]))
    }

    @Test func escapesLikeWildcardsInTextPredicates() throws {
        let filter = try parse("skus", [("name_cont", "50%_off\\")])
        #expect(filter.conditions[0].test == .like("%50\\%\\_off\\\\%"))
    }

    @Test func unknownAttributeNamesTheKeyAndTheValidAttributes() {
        #expect {
            try parse("skus", [("colour_eq", "red")])
        } throws: { error in
            guard case FilterError.unknownAttribute(let key, let attribute, let type, let valid) = error else { return false }
            return key == "colour_eq" && attribute == "colour" && type == "skus" && valid.contains("code")
        }
    }

    @Test func unknownPredicateNamesTheKey() {
        #expect(throws: FilterError.unknownPredicate(key: "code_starts")) { try parse("skus", [("code_starts", "A")]) }
        #expect(throws: FilterError.unknownPredicate(key: "eq")) { try parse("skus", [("eq", "A")]) }
    }

    @Test func wrongValueTypesAreRefused() {
        #expect(throws: FilterError.self) { try parse("skus", [("pieces_per_pack_eq", "many")]) }
        #expect(throws: FilterError.self) { try parse("skus", [("created_at_gt", "yesterday")]) }
        #expect(throws: FilterError.self) { try parse("skus", [("do_not_ship_true", "maybe")]) }
        #expect(throws: FilterError.self) { try parse("skus", [("metadata_jcont", "{not json")]) }
        #expect(throws: FilterError.self) { try parse("skus", [("name_cont_any", [1, 2])]) }
    }

    @Test func predicatesOnlyApplyToFittingTypes() {
        #expect(throws: FilterError.predicateNotApplicable(key: "pieces_per_pack_cont", predicate: "cont", attribute: "pieces_per_pack", attributeType: .integer)) {
            try parse("skus", [("pieces_per_pack_cont", "1")])
        }
        #expect(throws: FilterError.self) { try parse("skus", [("name_true", true)]) }
        #expect(throws: FilterError.self) { try parse("skus", [("code_jcont", "{}")]) }
    }

    @Test func hiddenAndComputedAttributesAreNotFilterable() {
        #expect(throws: FilterError.self) { try parse("customers", [("password_eq", "x")]) }
        #expect(throws: FilterError.self) { try parse("markets", [("shared_secret_eq", "x")]) }
        #expect(throws: FilterError.self) { try parse("prices", [("amount_float_gt", 1)]) }
    }

    @Test func injectionInKeysIsAnUnknownAttribute() {
        #expect(throws: FilterError.self) { try parse("skus", [("code\"; DROP TABLE skus; --_eq", "x")]) }
        #expect(throws: FilterError.self) { try parse("skus", [("code) OR 1=1 --_eq", "x")]) }
    }

    @Test func everyComparisonListAndPatternPredicateHasAnyAndAllForms() throws {
        // Ransack compounds each of these bases; the switches and Commerce Layer's additions it does not.
        let compounding = ["eq", "not_eq", "lt", "lteq", "gt", "gteq", "in", "not_in", "matches", "does_not_match",
                           "start", "not_start", "end", "not_end", "cont", "not_cont"]
        for base in compounding {
            for suffix in ["_any", "_all"] {
                #expect(FilterPredicate(rawValue: base + suffix) != nil, "\(base + suffix)")
            }
        }
        for base in ["null", "not_null", "present", "blank", "true", "false", "jcont", "eq_or_null", "in_or_null"] {
            #expect(FilterPredicate(rawValue: base) != nil)
            #expect(FilterPredicate(rawValue: base + "_any") == nil, "\(base)_any")
        }
        #expect(FilterPredicate.allCases.count == Set(FilterPredicate.allCases.map(\.rawValue)).count)
    }

    @Test func compoundFormsApplyTheBaseToEachValue() throws {
        let filter = try parse("skus", [
            ("name_not_eq_all", "a,b"), ("pieces_per_pack_lteq_any", [1, "2"]), ("code_start_all", ["A", "A1"]),
            ("code_not_end_any", "1,2"), ("code_in_any", [["A", "B"], "C"]), ("name_matches_any", ["%x"]),
        ])
        #expect(filter.conditions[0].test == .all([.compare(.notEqual, "a"), .compare(.notEqual, "b")]))
        #expect(filter.conditions[1].test == .any([.compare(.lessOrEqual, .int(1)), .compare(.lessOrEqual, .int(2))]))
        #expect(filter.conditions[2].test == .all([.like("A%"), .like("A1%")]))
        #expect(filter.conditions[3].test == .any([.not(.like("%1")), .not(.like("%2"))]))
        #expect(filter.conditions[4].test == .any([.inList(["A", "B"]), .inList(["C"])]))
        #expect(filter.conditions[5].test == .any([.like("%x")]))
        #expect(filter.conditions.map(\.predicate.rawValue) == ["not_eq_all", "lteq_any", "start_all", "not_end_any", "in_any", "matches_any"])
    }

    @Test func idsIsACommaSeparatedIdList() throws {
        let jobs = ResourceCatalog.jobs
        let entries: [(key: String, value: JSONValue)] = [("ids", "a, b,c"), ("created_at_gteq", "2026-01-01"), ("created_at_lteq", "2026-02-01T00:00:00Z")]
        let filter = try Filter(entries, for: jobs.type(named: "exports"), in: jobs)
        #expect(filter.conditions[0].paths.map(\.column) == ["id"])
        #expect(filter.conditions[0].test == .inList(["a", "b", "c"]))
        #expect(filter.conditions[1].test == .compare(.greaterOrEqual, .timestamp(Timestamp(year: 2026, month: 1, day: 1))))
        #expect(filter.conditions[2].test == .compare(.lessOrEqual, .timestamp(Timestamp(year: 2026, month: 2, day: 1))))
    }

    @Test func aBareSwitchOnTheCommandLineMeansTrue() throws {
        let skus = try catalog.type(named: "skus")
        for key in ["do_not_ship_true", "do_not_ship_false", "description_null", "description_not_null", "description_present", "description_blank"] {
            let entry = try Filter.commandLineEntry(key, for: skus, in: catalog)
            #expect(entry.key == key)
            #expect(entry.value == .bool(true))
            let bare = try parse("skus", [(entry.key, entry.value)])
            let explicit = try parse("skus", [(key, "true")])
            #expect(bare.conditions[0].test == explicit.conditions[0].test, "\(key)")
        }
        let entry = try Filter.commandLineEntry("code_in=A,B", for: skus, in: catalog)
        #expect(entry.key == "code_in")
        #expect(entry.value == "A,B")
    }

    @Test func aBarePredicateThatNeedsAValueIsRefused() throws {
        let skus = try catalog.type(named: "skus")
        for (key, predicate) in [("code_eq", "eq"), ("name_start_any", "start_any"), ("do_not_ship_eq", "eq"), ("ids", "in")] {
            #expect(throws: FilterError.missingValue(key: key, predicate: predicate)) {
                try Filter.commandLineEntry(key, for: skus, in: catalog)
            }
        }
        let description = FilterError.missingValue(key: "code_eq", predicate: "eq").description
        #expect(description.contains("code_eq=value") && description.contains("present"))
        #expect(throws: FilterError.unknownPredicate(key: "code_starts")) { try Filter.commandLineEntry("code_starts", for: skus, in: catalog) }
    }

    @Test func errorDescriptionsSayWhatToFix() {
        let error = FilterError.unknownAttribute(key: "colour_eq", attribute: "colour", type: "skus", valid: ["code", "name"])
        #expect(error.description.contains("colour_eq"))
        #expect(error.description.contains("code, name"))
        #expect(FilterError.unknownPredicate(key: "a_b").description.contains("cont_any"))
    }
}
