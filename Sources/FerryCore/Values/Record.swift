/// A resource record as it flows between stages: an ordered list of named, typed values.
///
/// Order matters: it is the order in which sinks write fields, so a record read from a dataset
/// keeps the catalog's attribute order and an export is stable from run to run.
public struct Record: Hashable, Sendable {
    /// The field names, in order.
    public private(set) var names: [String]
    /// The field values, parallel to ``names``.
    public private(set) var values: [Value]

    /// Creates an empty record.
    public init() {
        names = []
        values = []
    }

    /// Creates a record from ordered fields; a repeated name keeps its last value.
    public init(_ fields: KeyValuePairs<String, Value>) {
        self.init()
        for (name, value) in fields { self[name] = value }
    }

    /// Creates a record from parallel arrays of names and values, which must have equal lengths
    /// and distinct names.
    public init(names: [String], values: [Value]) {
        precondition(names.count == values.count, "names and values must have equal lengths")
        self.names = names
        self.values = values
    }

    /// The number of fields.
    public var count: Int { names.count }

    /// The fields, in order.
    public var fields: Zip2Sequence<[String], [Value]> { zip(names, values) }

    /// The value of the named field; `nil` when absent. Setting `nil` removes the field, setting
    /// a value replaces it in place or appends it.
    public subscript(name: String) -> Value? {
        get {
            guard let i = names.firstIndex(of: name) else { return nil }
            return values[i]
        }
        set {
            if let i = names.firstIndex(of: name) {
                if let newValue {
                    values[i] = newValue
                } else {
                    names.remove(at: i)
                    values.remove(at: i)
                }
            } else if let newValue {
                names.append(name)
                values.append(newValue)
            }
        }
    }

    /// Appends a field known not to be present yet; cheaper than the subscript on hot paths.
    public mutating func append(_ name: String, _ value: Value) {
        names.append(name)
        values.append(value)
    }

    /// Removes the fields for which `shouldRemove` returns true, keeping the others in order.
    public mutating func removeAll(where shouldRemove: (String, Value) -> Bool) {
        var keptNames: [String] = []
        var keptValues: [Value] = []
        keptNames.reserveCapacity(names.count)
        keptValues.reserveCapacity(values.count)
        for (n, v) in zip(names, values) where !shouldRemove(n, v) {
            keptNames.append(n)
            keptValues.append(v)
        }
        names = keptNames
        values = keptValues
    }

    /// Renames a field in place, keeping its position.
    public mutating func rename(_ name: String, to newName: String) {
        guard let i = names.firstIndex(of: name) else { return }
        self[newName] = nil
        if let j = names.firstIndex(of: name) { names[j] = newName } else { names[i] = newName }
    }

    /// The record's `id`, when it has a string one.
    public var id: String? { self["id"]?.stringValue }

    /// The record as a JSON object.
    public var jsonValue: JSONValue {
        .object(zip(names, values).map { JSONMember($0, $1.jsonValue) })
    }
}
