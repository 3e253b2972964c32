/// Why a filter was refused. Each case names the offending key so that callers can point at it
/// (`/data/attributes/filters/colour_eq`).
public enum FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key ends in no known predicate.
    case unknownPredicate(key: String)
    /// The key's attribute part does not name a filterable attribute of the type.
    case unknownAttribute(key: String, attribute: String, type: String, valid: [String])
    /// The predicate does not apply to the attribute's type (`cont` on an integer).
    case predicateNotApplicable(key: String, predicate: String, attribute: String, attributeType: AttributeType)
    /// The value is not of the expected type.
    case invalidValue(key: String, value: String, expected: String)
    /// The key was given without a value (`--where code_eq`), and its predicate needs one: only
    /// the switches (`true`, `false`, `null`, `not_null`, `present`, `blank`) mean `true` bare.
    case missingValue(key: String, predicate: String)

    /// The filter key at fault.
    public var key: String {
        switch self {
        case .unknownPredicate(let key), .unknownAttribute(let key, _, _, _),
            .predicateNotApplicable(let key, _, _, _), .invalidValue(let key, _, _), .missingValue(let key, _):
            return key
        }
    }

    public var description: String {
        switch self {
        case .unknownPredicate(let key):
            return "filter '\(key)' ends in no known predicate; valid predicates: "
                + FilterPredicate.allCases.map(\.rawValue).joined(separator: ", ") + "; or ids (a comma-separated list of ids)"
        case .unknownAttribute(let key, let attribute, let type, let valid):
            return "filter '\(key)': '\(attribute)' is not a filterable attribute of \(type); valid: "
                + valid.joined(separator: ", ") + " (or a belongs-to relationship followed by one of its attributes)"
        case .predicateNotApplicable(let key, let predicate, let attribute, let attributeType):
            return "filter '\(key)': predicate '\(predicate)' does not apply to \(attributeType.rawValue) attribute '\(attribute)'"
        case .invalidValue(let key, let value, let expected):
            return "filter '\(key)': value '\(value)' is not \(expected)"
        case .missingValue(let key, let predicate):
            return "filter '\(key)' has no value: predicate '\(predicate)' needs one (\(key)=value); only "
                + FilterPredicate.allCases.filter { $0.operandKind == .flag }.map(\.rawValue).joined(separator: ", ")
                + " may be given bare, meaning true"
        }
    }
}
