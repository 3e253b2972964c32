import FerryCore

/// Turns JSON objects into records, typed by the catalog when the type is known: integers of
/// float attributes become doubles, date-times become timestamps, and objects or arrays under a
/// relationship's name become nested records.
///
/// What each field name of each type means is worked out once, when the decoding is made, not
/// once per field of every record.
struct RecordDecoding: Sendable {
    /// What a field name means for decoding.
    enum Field: Sendable {
        case float
        case datetime
        case relationship(target: String)
    }

    private let fields: [String: [String: Field]]

    /// A decoding for the types of `catalog`.
    init(catalog: ResourceCatalog) {
        var fields: [String: [String: Field]] = [:]
        for type in catalog.types {
            var byName: [String: Field] = [:]
            for attribute in type.attributes {
                switch attribute.type {
                case .float: byName[attribute.name] = .float
                case .datetime: byName[attribute.name] = .datetime
                default: break
                }
            }
            // A relationship wins over an attribute of the same name, as nested values are records.
            for relationship in type.relationships where catalog[relationship.target] != nil {
                byName[relationship.name] = .relationship(target: relationship.target)
            }
            fields[type.name] = byName
        }
        self.fields = fields
    }

    /// What the names of the previous records of a run meant (see `NameMemo`), for one type.
    struct Memo {
        fileprivate var type: String?
        fileprivate var fields = NameMemo<Field?>()

        /// An empty memo.
        init() {}
    }

    /// A record of the type named `type` from a JSON object, as ``record(from:type:)``, for one
    /// of a run of records; `memo` carries what the previous one's names meant.
    func record(from json: JSONValue, type: String?, memo: inout Memo) -> Record {
        guard case .object(let members) = json else { return Record() }
        if memo.type != type {
            memo = Memo()
            memo.type = type
        }
        let byName = type.flatMap { fields[$0] }
        var names: [String] = []
        var values: [Value] = []
        names.reserveCapacity(members.count)
        values.reserveCapacity(members.count)
        for (position, member) in members.enumerated() {
            let field = memo.fields.meaning(of: member.key, at: position) { byName?[$0] }
            names.append(member.key)
            values.append(value(member.value, field: field))
        }
        return Record(names: names, values: values)
    }

    /// A record of the type named `type` (untyped when nil or unknown) from a JSON object; any
    /// other JSON value gives an empty record.
    func record(from json: JSONValue, type: String?) -> Record {
        var memo = Memo()
        return record(from: json, type: type, memo: &memo)
    }

    private func value(_ json: JSONValue, field: Field?) -> Value {
        switch (field, json) {
        case (.relationship(let target)?, .object):
            return .record(record(from: json, type: target))
        case (.relationship(let target)?, .array(let items)):
            var memo = Memo()
            return .records(items.map { record(from: $0, type: target, memo: &memo) })
        case (.float?, .int(let i)):
            return .double(Double(i))
        case (.datetime?, .string(let s)):
            return Timestamp(iso8601: s).map(Value.timestamp) ?? .string(s)
        default:
            return Value(json)
        }
    }
}
