import FerryCore
import FerryStore

/// The grammar of the query parameters and filter keys, as regular expressions and JSON schemas
/// built from the catalog and the filter language, so that the OpenAPI document states exactly
/// what ``ListParameters``, ``IncludeTree`` and ``Filter`` accept: `include` paths, `sort` and
/// `fields[…]` names, and every `filter[q][<attribute>_<predicate>]` key with its operand.
enum OpenAPIGrammar {
    // MARK: Regular expressions

    /// `text` with the characters regular expressions give a meaning escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A non-capturing alternation of literal names.
    static func alternation(_ names: [String]) -> String {
        "(?:" + names.map(escape).joined(separator: "|") + ")"
    }

    /// A whole value that is a comma-separated list of `item`, or empty.
    static func commaList(_ item: String) -> String {
        "^(?:\(item)(?:,\(item))*)?$"
    }

    // MARK: include, sort, fields

    /// The `include=` paths of a catalog type: dotted relationship names, up to
    /// ``IncludeTree/maximumDepth`` levels; nil when the type has no relationship.
    static func includePath(_ type: ResourceType, catalog: ResourceCatalog, depth: Int = 1) -> String? {
        let items = type.relationships.compactMap { relationship -> String? in
            guard let target = catalog[relationship.target] else { return nil }
            guard depth < IncludeTree.maximumDepth, let below = includePath(target, catalog: catalog, depth: depth + 1) else {
                return escape(relationship.name)
            }
            return escape(relationship.name) + "(?:\\." + below + ")?"
        }
        return items.isEmpty ? nil : "(?:" + items.joined(separator: "|") + ")"
    }

    /// The pattern of `include=` for a catalog type, nil when it has no relationship.
    static func includePattern(_ type: ResourceType, catalog: ResourceCatalog) -> String? {
        includePath(type, catalog: catalog).map(commaList)
    }

    /// The pattern of `include=` naming some of `names`.
    static func includePattern(names: [String]) -> String {
        commaList(alternation(names))
    }

    /// The pattern of `sort=`: sortable attributes, each with an optional `-`.
    static func sortPattern(_ type: ResourceType) -> String {
        commaList("-?" + alternation(ListParameters.sortableNames(of: type)))
    }

    /// The pattern of `fields[type]=`.
    static func fieldsPattern(_ type: ResourceType) -> String {
        commaList(alternation(ListParameters.fieldNames(of: type)))
    }

    /// The paths an export's `fields` may list (``FieldSelection``): a field or relationship of
    /// the type, `*`, or the same of a related type after up to two relationship names.
    static func exportFieldPath(_ type: ResourceType, catalog: ResourceCatalog, depth: Int = 1) -> String {
        var items = [alternation(["*"] + type.exportShape.names + type.relationships.map(\.name))]
        if depth < IncludeTree.maximumDepth {
            for relationship in type.relationships {
                guard let target = catalog[relationship.target] else { continue }
                items.append(escape(relationship.name) + "\\." + exportFieldPath(target, catalog: catalog, depth: depth + 1))
            }
        }
        return "(?:" + items.joined(separator: "|") + ")"
    }

    // MARK: Filters

    /// The attribute names a filter key may start with, by the type they resolve to: every
    /// candidate path (own filterable attributes, foreign keys, belongs-to relationship names
    /// followed by a name of the related type, up to ``AttributePath/maximumDepth`` steps) that
    /// ``AttributePath/resolve(_:in:catalog:depth:)`` resolves, typed as it resolves it.
    static func filterNames(_ type: ResourceType, catalog: ResourceCatalog) -> [(type: AttributeType, names: [String])] {
        func candidates(_ type: ResourceType, depth: Int) -> [String] {
            var names = AttributePath.filterableNames(of: type)
            guard depth < AttributePath.maximumDepth else { return names }
            for relationship in type.belongsTo {
                guard let target = catalog[relationship.target] else { continue }
                names += candidates(target, depth: depth + 1).map { relationship.name + "_" + $0 }
            }
            return names
        }
        var byType: [AttributeType: [String]] = [:]
        var seen = Set<String>()
        for name in candidates(type, depth: 0) where seen.insert(name).inserted {
            guard let path = AttributePath.resolve(name, in: type, catalog: catalog) else { continue }
            byType[path.attribute.type, default: []].append(name)
        }
        return AttributeType.allCases.compactMap { attributeType in byType[attributeType].map { (attributeType, $0) } }
    }

    /// The JSON schema of a type's filter: an object whose keys are `<names>_<predicate>`, where
    /// `<names>` is one attribute name or several of one type joined by `_or_`, each predicate
    /// taking the operand its kind and the attribute's type need. `query` true: the values as a
    /// query string gives them (text); false: as an export's `filters` gives them (JSON).
    static func filterSchema(_ type: ResourceType, catalog: ResourceCatalog, query: Bool) -> JSONValue {
        var patterns: [JSONMember] = []
        for (attributeType, names) in filterNames(type, catalog: catalog) {
            let single = alternation(names)
            // An `_or_` list splits at every `_or_`: only names without one can be joined.
            let joinable = names.filter { !$0.contains("_or_") }
            let subject = joinable.isEmpty ? single : "(?:\(single)|\(alternation(joinable))(?:_or_\(alternation(joinable)))+)"
            var groups: [(schema: JSONValue, predicates: [String])] = []
            for predicate in FilterPredicate.allCases where predicate.applies(to: attributeType) {
                let schema = operandSchema(predicate.operandKind, attributeType, query: query)
                if let index = groups.firstIndex(where: { $0.schema == schema }) {
                    groups[index].predicates.append(predicate.rawValue)
                } else {
                    groups.append((schema, [predicate.rawValue]))
                }
            }
            for group in groups {
                patterns.append(JSONMember("^\(subject)_\(alternation(group.predicates))$", group.schema))
            }
        }
        var members: [JSONMember] = [JSONMember("type", "object")]
        if query { members.append(JSONMember("minProperties", 1)) }
        members += [JSONMember("patternProperties", .object(patterns)), JSONMember("additionalProperties", false)]
        return .object(members)
    }

    /// An integer as ``FilterParser`` reads it from text (at most 18 digits, within `Int64`).
    static let integer = "[+-]?[0-9]{1,18}"
    /// A finite number as text.
    static let number = "[+-]?(?:[0-9]{1,15}(?:\\.[0-9]{1,15})?|\\.[0-9]{1,15})(?:[eE][+-]?[0-9]{1,2})?"
    /// A boolean as text (`true`, `t`, `1`, `yes` and their opposites, any case).
    static let boolean = "(?:[Tt][Rr][Uu][Ee]|[Tt]|1|[Yy][Ee][Ss]|[Ff][Aa][Ll][Ss][Ee]|[Ff]|0|[Nn][Oo])"
    /// An ISO 8601 date or date-time as ``Timestamp/init(iso8601:)`` reads it: a real calendar
    /// day, then optionally `T` or a space, hours and minutes, seconds, a fraction and an offset.
    static let datetime = {
        let leapYear = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00|0000)"
        let day = "(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|\(leapYear)-02-29)"
        let time = "(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
        return day + time
    }()
    /// A JSON object or array of plain members, as text (a subset of what `jcont` parses).
    static let jsonText = {
        let scalar = "(?:\"[a-z0-9_]{0,12}\"|-?[0-9]{1,6}|true|false|null)"
        let member = "\"[a-z_]{1,12}\":\(scalar)"
        return "(?:\\{(?:\(member)(?:,\(member))*)?\\}|\\[(?:\(scalar)(?:,\(scalar))*)?\\])"
    }()

    /// The operand of a predicate of `kind` on an attribute of `type`.
    static func operandSchema(_ kind: FilterPredicate.OperandKind, _ type: AttributeType, query: Bool) -> JSONValue {
        let text: JSONValue = ["type": "string"]
        func pattern(_ expression: String) -> JSONValue { ["type": "string", "pattern": .string("^\(expression)$")] }
        func textList(_ item: String) -> JSONValue { pattern(" *\(item) *(?:, *\(item) *)*") }
        let flag = query ? pattern(boolean) : ["anyOf": [["type": "boolean"], ["enum": [0, 1]], pattern(boolean)]]
        let itemText: String? = switch type {
        case .integer: integer
        case .float: number
        case .boolean: boolean
        case .datetime: datetime
        case .string, .object, .array: nil
        }
        /// One value of the attribute's type.
        var scalar: JSONValue {
            switch type {
            case .string: return query ? text : ["type": ["string", "number"]]
            case .integer:
                return query ? pattern(integer) : ["anyOf": [["type": "integer", "minimum": .int(Int64.min), "maximum": .int(Int64.max)], pattern(integer)]]
            case .float: return query ? pattern(number) : ["anyOf": [["type": "number", "minimum": -1e300, "maximum": 1e300], pattern(number)]]
            case .boolean: return flag
            case .datetime: return pattern(datetime)
            case .object, .array: return text
            }
        }
        switch kind {
        case .scalar: return scalar
        case .list:
            // An array, a comma-separated string, or (in JSON) one value that is not a string.
            let listText = itemText.map(textList) ?? text
            return query ? listText : ["anyOf": [["type": "array", "items": scalar], listText, scalar]]
        case .text: return query ? text : ["type": ["string", "number"]]
        case .textList: return query ? text : ["anyOf": [["type": "array", "items": text], text]]
        case .flag: return flag
        case .json: return query ? pattern(jsonText) : ["anyOf": [["type": "object"], ["type": "array"], pattern(jsonText)]]
        }
    }
}
