/// Turns one filter key and value into a ``FilterCondition``: finds the predicate suffix,
/// resolves the attributes, types the operand and spells out the predicate's meaning.
enum FilterParser {
    /// The key Commerce Layer's lists take for a comma-separated list of ids (`ids=a,b`): `id_in`.
    static let idsKey = "ids"

    /// The condition of one entry; `value` is nil when the entry was given without one (a
    /// command line's `--where do_not_ship_true`), which only a ``FilterPredicate/OperandKind/flag``
    /// predicate takes, as `true`.
    static func condition(key: String, value: JSONValue?, type: ResourceType, catalog: ResourceCatalog) throws(FilterError) -> FilterCondition {
        if key == idsKey, let path = AttributePath.resolve("id", in: type, catalog: catalog) {
            let predicate = FilterPredicate(.in)
            guard let value else { throw .missingValue(key: key, predicate: predicate.rawValue) }
            return FilterCondition(
                key: key, paths: [path], predicate: predicate,
                test: try makeTest(predicate, value: value, attributeType: path.attribute.type, key: key))
        }
        var firstUnresolved: String?
        for predicate in FilterPredicate.longestFirst {
            let suffix = "_" + predicate.rawValue
            guard key.hasSuffix(suffix), key.count > suffix.count else { continue }
            let attributePart = String(key.dropLast(suffix.count))
            guard let paths = resolveAttributes(attributePart, type: type, catalog: catalog) else {
                if firstUnresolved == nil { firstUnresolved = attributePart }
                continue
            }
            for path in paths where !predicate.applies(to: path.attribute.type) {
                throw .predicateNotApplicable(
                    key: key, predicate: predicate.rawValue, attribute: path.description, attributeType: path.attribute.type)
            }
            let operand: JSONValue
            if let value {
                operand = value
            } else {
                guard predicate.operandKind == .flag else { throw .missingValue(key: key, predicate: predicate.rawValue) }
                operand = .bool(true)
            }
            let test = try makeTest(predicate, value: operand, attributeType: paths[0].attribute.type, key: key)
            return FilterCondition(key: key, paths: paths, predicate: predicate, test: test)
        }
        if let attribute = firstUnresolved {
            throw .unknownAttribute(
                key: key, attribute: attribute, type: type.name, valid: AttributePath.filterableNames(of: type))
        }
        throw .unknownPredicate(key: key)
    }

    /// `a_or_b` resolves to both attributes when the whole name is not itself an attribute;
    /// every attribute ORed must share a type, so one typed operand serves them all.
    private static func resolveAttributes(_ name: String, type: ResourceType, catalog: ResourceCatalog) -> [AttributePath]? {
        if let path = AttributePath.resolve(name, in: type, catalog: catalog) { return [path] }
        let parts = name.split(separator: "_or_", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return nil }
        var paths: [AttributePath] = []
        for part in parts {
            guard let path = AttributePath.resolve(part, in: type, catalog: catalog) else { return nil }
            paths.append(path)
        }
        guard Set(paths.map(\.attribute.type)).count == 1 else { return nil }
        return paths
    }

    /// The meaning of a predicate and its operand. A compound form (`_any`, `_all`) is its base
    /// applied to each element of the list given, ORed or ANDed, exactly as Ransack expands it.
    private static func makeTest(_ predicate: FilterPredicate, value: JSONValue, attributeType: AttributeType, key: String) throws(FilterError) -> ValueTest {
        guard let quantifier = predicate.quantifier else {
            return try baseTest(predicate.base, operand: value, attributeType: attributeType, key: key)
        }
        var tests: [ValueTest] = []
        for element in elements(of: value) {
            // A pattern's list must hold text: a number there is more likely a mistake than a pattern.
            if predicate.operandKind == .textList {
                guard case .string = element else { throw .invalidValue(key: key, value: element.jsonText, expected: "text") }
            }
            tests.append(try baseTest(predicate.base, operand: element, attributeType: attributeType, key: key))
        }
        return quantifier == .any ? .any(tests) : .all(tests)
    }

    /// The meaning of a base predicate applied to one operand (for `in`/`not_in`, one list).
    private static func baseTest(_ base: FilterPredicate.Base, operand value: JSONValue, attributeType: AttributeType, key: String) throws(FilterError) -> ValueTest {
        func scalar() throws(FilterError) -> Value { try typed(value, attributeType, key: key) }
        func list() throws(FilterError) -> [Value] {
            var values: [Value] = []
            for element in elements(of: value) { values.append(try typed(element, attributeType, key: key)) }
            return values
        }
        func text() throws(FilterError) -> String {
            switch value {
            case .string(let s): return s
            case .int(let i): return String(i)
            case .double(let d): return String(d)
            default: throw .invalidValue(key: key, value: value.jsonText, expected: "text")
            }
        }
        func flag() throws(FilterError) -> Bool {
            guard let b = boolean(value) else { throw .invalidValue(key: key, value: value.jsonText, expected: "true or false") }
            return b
        }
        let isNull = ValueTest.isNull
        let blankText = ValueTest.any([.isNull, .compare(.equal, .string(""))])

        switch base {
        case .eq: return .compare(.equal, try scalar())
        case .notEq: return .compare(.notEqual, try scalar())
        case .eqOrNull: return .any([.compare(.equal, try scalar()), isNull])
        case .notEqOrNull: return .any([.compare(.notEqual, try scalar()), isNull])
        case .lt: return .compare(.less, try scalar())
        case .lteq: return .compare(.lessOrEqual, try scalar())
        case .gt: return .compare(.greater, try scalar())
        case .gteq: return .compare(.greaterOrEqual, try scalar())
        case .in: return .inList(try list())
        case .notIn: return .not(.inList(try list()))
        case .inOrNull: return .any([.inList(try list()), isNull])
        case .notInOrNull: return .any([.not(.inList(try list())), isNull])
        case .matches: return .like(try text())
        case .doesNotMatch: return .not(.like(try text()))
        case .start: return .like(LikePattern.escape(try text()) + "%")
        case .notStart: return .not(.like(LikePattern.escape(try text()) + "%"))
        case .end: return .like("%" + LikePattern.escape(try text()))
        case .notEnd: return .not(.like("%" + LikePattern.escape(try text())))
        case .cont: return .like("%" + LikePattern.escape(try text()) + "%")
        case .notCont: return .not(.like("%" + LikePattern.escape(try text()) + "%"))
        case .null: return try flag() ? isNull : .not(isNull)
        case .notNull: return try flag() ? .not(isNull) : isNull
        case .present: return try flag() ? .not(blankText) : blankText
        case .blank: return try flag() ? blankText : .not(blankText)
        case .true: return .compare(try flag() ? .equal : .notEqual, .bool(true))
        case .false: return .compare(try flag() ? .equal : .notEqual, .bool(false))
        case .jcont:
            switch value {
            case .object, .array: return .jsonContains(value)
            case .string(let s):
                guard let parsed = try? JSONParser.parse(s) else {
                    throw .invalidValue(key: key, value: s, expected: "a JSON object or array")
                }
                return .jsonContains(parsed)
            default: throw .invalidValue(key: key, value: value.jsonText, expected: "a JSON object or array")
            }
        }
    }

    /// A list operand: an array, or a comma-separated string.
    private static func elements(of value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let elements): return elements
        case .string(let s):
            return s.split(separator: ",", omittingEmptySubsequences: false).map {
                .string($0.trimmingCharacters(in: " "))
            }
        default: return [value]
        }
    }

    private static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .int(let i) where i == 0 || i == 1: return i == 1
        case .string(let s):
            switch s.lowercased() {
            case "true", "t", "1", "yes": return true
            case "false", "f", "0", "no": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// Types one operand for an attribute type, refusing what does not fit.
    static func typed(_ value: JSONValue, _ type: AttributeType, key: String) throws(FilterError) -> Value {
        switch type {
        case .string:
            switch value {
            case .string(let s): return .string(s)
            case .int(let i): return .string(String(i))
            case .double(let d): return .string(String(d))
            default: break
            }
        case .integer:
            switch value {
            case .int(let i): return .int(i)
            case .double(let d) where d == d.rounded() && abs(d) < 9e15: return .int(Int64(d))
            case .string(let s): if let i = Int64(s) { return .int(i) }
            default: break
            }
            throw .invalidValue(key: key, value: value.jsonText, expected: "an integer")
        case .float:
            switch value {
            case .int(let i): return .double(Double(i))
            case .double(let d): return .double(d)
            case .string(let s): if let d = Double(s), d.isFinite { return .double(d) }
            default: break
            }
            throw .invalidValue(key: key, value: value.jsonText, expected: "a number")
        case .boolean:
            if let b = boolean(value) { return .bool(b) }
            throw .invalidValue(key: key, value: value.jsonText, expected: "true or false")
        case .datetime:
            if case .string(let s) = value, let t = Timestamp(iso8601: s) { return .timestamp(t) }
            throw .invalidValue(key: key, value: value.jsonText, expected: "an ISO 8601 date or date-time")
        case .object, .array:
            return .json(value)
        }
        throw .invalidValue(key: key, value: value.jsonText, expected: "text")
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
