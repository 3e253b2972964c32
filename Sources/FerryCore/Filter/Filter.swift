/// A parsed, validated filter: conditions that all must hold (SPEC §4).
///
/// The same filter serves export `filters`, `filter[q][…]` on list endpoints, the pipeline
/// `where` stage and `ferry export --where`. Parsing checks every key against the catalog, so an
/// unknown attribute or predicate is an error, never a silent no-op.
public struct Filter: Hashable, Sendable {
    /// The resource type filtered.
    public var resourceType: String
    /// The conditions, ANDed, in the order given.
    public var conditions: [FilterCondition]

    /// Creates a filter from already parsed conditions.
    public init(resourceType: String, conditions: [FilterCondition] = []) {
        self.resourceType = resourceType
        self.conditions = conditions
    }

    /// Whether the filter has no condition.
    public var isEmpty: Bool { conditions.isEmpty }

    /// Parses filter entries (`["code_start": "SKU", "amount_cents_gt": 100]`) for a type.
    public init(
        _ entries: [(key: String, value: JSONValue)], for type: ResourceType, in catalog: ResourceCatalog
    ) throws(FilterError) {
        resourceType = type.name
        conditions = []
        for (key, value) in entries {
            conditions.append(try FilterParser.condition(key: key, value: value, type: type, catalog: catalog))
        }
    }

    /// Reads one filter as a command line gives it (`--where code_start=SKU`): `key=value`, the
    /// value as text; or a bare key whose predicate is a switch (`do_not_ship_true`,
    /// `description_null`, `name_present`), which reads as it says: `key=true`. A bare key whose
    /// predicate needs a value (`code_eq`) is refused with ``FilterError/missingValue(key:predicate:)``.
    public static func commandLineEntry(_ text: String, for type: ResourceType, in catalog: ResourceCatalog) throws(FilterError) -> (key: String, value: JSONValue) {
        if let eq = text.firstIndex(of: "=") {
            return (String(text[..<eq]), .string(String(text[text.index(after: eq)...])))
        }
        _ = try FilterParser.condition(key: text, value: nil, type: type, catalog: catalog)
        return (text, .bool(true))
    }

    /// Parses a JSON object of filter entries, as an export's `filters` attribute holds them.
    public init(_ object: JSONValue, for type: ResourceType, in catalog: ResourceCatalog) throws(FilterError) {
        guard case .object(let members) = object else {
            throw .invalidValue(key: "filters", value: object.jsonText, expected: "an object of filter keys")
        }
        try self.init(members.map { ($0.key, $0.value) }, for: type, in: catalog)
    }

    /// Whether a record satisfies every condition; `lookup` gives an attribute path's value.
    public func matches(_ lookup: (AttributePath) -> Value) -> Bool {
        conditions.allSatisfy { $0.evaluate(lookup) == true }
    }

    /// Whether a record satisfies every condition, reading paths from the record itself: its own
    /// fields, nested belongs-to records (as `include` writes them), or `<rel>_<attr>` fields.
    public func matches(_ record: Record) -> Bool {
        matches { path in Self.value(of: path, in: record) }
    }

    /// The value of a path in a record, or null.
    public static func value(of path: AttributePath, in record: Record) -> Value {
        var current = record
        for (i, relationship) in path.relationships.enumerated() {
            if case .record(let nested)? = current[relationship.name] {
                current = nested
                continue
            }
            let flattened = path.relationships[i...].map(\.name).joined(separator: "_") + "_" + path.attribute.name
            return current[flattened] ?? .null
        }
        return current[path.attribute.name] ?? .null
    }
}
