/// A predicate of the filter language (SPEC §4): a base predicate of Ransack's list (`eq`,
/// `not_start`, `matches`, …) or of Commerce Layer's additions (`eq_or_null`, `jcont`), and, for
/// the bases Ransack compounds, an `_any` or `_all` form that applies the base to each value of a
/// list and ORs or ANDs the results (`not_eq_all`, `lteq_any`, `start_all`, `not_end_any`).
public struct FilterPredicate: RawRepresentable, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The predicate without its `_any`/`_all` suffix.
    public enum Base: String, CaseIterable, Hashable, Sendable {
        case eq, notEq = "not_eq", lt, lteq, gt, gteq
        case `in`, notIn = "not_in"
        case matches, doesNotMatch = "does_not_match"
        case start, notStart = "not_start", end, notEnd = "not_end", cont, notCont = "not_cont"
        case eqOrNull = "eq_or_null", notEqOrNull = "not_eq_or_null", inOrNull = "in_or_null", notInOrNull = "not_in_or_null"
        case null, notNull = "not_null", present, blank
        case `true`, `false`
        case jcont

        /// Whether the base has `_any` and `_all` forms: Ransack's comparison, list and pattern
        /// predicates do; its value-less switches (`null`, `true`, …) and Commerce Layer's
        /// `_or_null` and `jcont` additions do not.
        public var compounds: Bool {
            switch self {
            case .eq, .notEq, .lt, .lteq, .gt, .gteq, .in, .notIn, .matches, .doesNotMatch,
                .start, .notStart, .end, .notEnd, .cont, .notCont:
                return true
            case .eqOrNull, .notEqOrNull, .inOrNull, .notInOrNull, .null, .notNull, .present, .blank, .true, .false, .jcont:
                return false
            }
        }
    }

    /// How a compound form combines the base applied to each value of its list.
    public enum Quantifier: String, Hashable, Sendable {
        /// `_any`: the condition holds when the base holds for at least one value (OR).
        case any
        /// `_all`: the condition holds when the base holds for every value (AND).
        case all
    }

    /// The base predicate.
    public let base: Base
    /// The compound form, if any.
    public let quantifier: Quantifier?
    /// The predicate as written at the end of a filter key (`not_eq_all`).
    public let rawValue: String

    /// The predicate `base`, in its `quantifier` form; a quantifier is only given to a base that
    /// ``Base/compounds``.
    public init(_ base: Base, _ quantifier: Quantifier? = nil) {
        precondition(quantifier == nil || base.compounds, "\(base.rawValue) has no _any/_all form")
        self.base = base
        self.quantifier = quantifier
        rawValue = base.rawValue + (quantifier.map { "_" + $0.rawValue } ?? "")
    }

    /// The predicate written `rawValue`, if the language has it.
    public init?(rawValue: String) {
        guard let predicate = Self.byName[rawValue] else { return nil }
        self = predicate
    }

    public var description: String { rawValue }

    /// Every predicate: each base, then the `_any` and `_all` forms of those that compound.
    public static let allCases: [FilterPredicate] = Base.allCases.map { FilterPredicate($0) }
        + Base.allCases.filter(\.compounds).flatMap { [FilterPredicate($0, .any), FilterPredicate($0, .all)] }

    private static let byName: [String: FilterPredicate] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// The predicates, longest first: the order in which a key's suffix is matched, so that
    /// `name_not_eq_all` is read as `name` + `not_eq_all`, not `name_not` + `eq_all`.
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
        /// A boolean switch (`true` applies the predicate, `false` its negation); on the
        /// command line it may be given without a value, which means `true`.
        case flag
        /// A JSON document.
        case json
    }

    /// What the predicate's operand is: a compound form takes a list of its base's operands.
    public var operandKind: OperandKind {
        switch base {
        case .eq, .notEq, .eqOrNull, .notEqOrNull, .lt, .lteq, .gt, .gteq: return quantifier == nil ? .scalar : .list
        case .in, .notIn, .inOrNull, .notInOrNull: return .list
        case .matches, .doesNotMatch, .start, .notStart, .end, .notEnd, .cont, .notCont: return quantifier == nil ? .text : .textList
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
            if base == .true || base == .false { return type == .boolean }
            if base == .present || base == .blank { return type == .string }
            return true
        case .scalar, .list: return !type.isJSON
        }
    }
}
