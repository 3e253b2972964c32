/// A predicate of the Ransack-style filter language (SPEC §4): the suffix of a filter key.
public enum FilterPredicate: String, CaseIterable, Hashable, Sendable {
    case eq, notEq = "not_eq", eqOrNull = "eq_or_null", notEqOrNull = "not_eq_or_null"
    case lt, lteq, gt, gteq
    case `in`, notIn = "not_in", inOrNull = "in_or_null", notInOrNull = "not_in_or_null"
    case matches, doesNotMatch = "does_not_match"
    case start, notStart = "not_start", end, notEnd = "not_end", cont, notCont = "not_cont"
    case contAny = "cont_any", contAll = "cont_all", notContAll = "not_cont_all"
    case startAny = "start_any", endAny = "end_any"
    case null, notNull = "not_null", present, blank
    case `true`, `false`
    case jcont
    case eqAny = "eq_any", eqAll = "eq_all", ltAny = "lt_any", ltAll = "lt_all", gtAny = "gt_any", gtAll = "gt_all"
    case matchesAny = "matches_any", matchesAll = "matches_all"

    /// The predicates, longest first: the order in which a key's suffix is matched, so that
    /// `name_not_eq` is read as `name` + `not_eq`, not `name_not` + `eq`.
    public static let longestFirst: [FilterPredicate] = allCases.sorted { $0.rawValue.count > $1.rawValue.count }

    /// What the predicate's operand is.
    public enum OperandKind: Sendable {
        /// One value of the attribute's type.
        case scalar
        /// A list of values of the attribute's type (array or comma-separated string).
        case list
        /// A text pattern.
        case text
        /// A list of text patterns.
        case textList
        /// A boolean switch (`true` applies the predicate, `false` its negation).
        case flag
        /// A JSON document.
        case json
    }

    /// What the predicate's operand is.
    public var operandKind: OperandKind {
        switch self {
        case .eq, .notEq, .eqOrNull, .notEqOrNull, .lt, .lteq, .gt, .gteq: return .scalar
        case .in, .notIn, .inOrNull, .notInOrNull, .eqAny, .eqAll, .ltAny, .ltAll, .gtAny, .gtAll: return .list
        case .matches, .doesNotMatch, .start, .notStart, .end, .notEnd, .cont, .notCont: return .text
        case .contAny, .contAll, .notContAll, .startAny, .endAny, .matchesAny, .matchesAll: return .textList
        case .null, .notNull, .present, .blank, .true, .false: return .flag
        case .jcont: return .json
        }
    }

    /// Whether the predicate applies to attributes of `type`.
    public func applies(to type: AttributeType) -> Bool {
        switch operandKind {
        case .text, .textList: return type == .string
        case .json: return type.isJSON
        case .flag:
            if self == .true || self == .false { return type == .boolean }
            if self == .present || self == .blank { return type == .string }
            return true
        case .scalar, .list: return !type.isJSON
        }
    }
}
