/// The meaning of one predicate applied to one attribute value, in a form both the SQL compiler
/// and the in-memory evaluator read. Deriving both from this one tree is what keeps a `where`
/// filter in a pipeline and the same filter in a dataset query in agreement.
public indirect enum ValueTest: Hashable, Sendable {
    /// A comparison with a typed operand; unknown (SQL `NULL`) when the value is null.
    case compare(ComparisonOperator, Value)
    /// SQL `LIKE` with `\` as the escape character, ASCII case-insensitive, as SQLite does it.
    case like(String)
    /// Whether the value is null; never unknown.
    case isNull
    /// Membership in a list of typed operands; unknown when the value is null.
    case inList([Value])
    /// JSON containment (`jcont`); unknown when the value is null.
    case jsonContains(JSONValue)
    /// Negation, with SQL's three-valued logic (not unknown is unknown).
    case not(ValueTest)
    /// Conjunction, three-valued.
    case all([ValueTest])
    /// Disjunction, three-valued.
    case any([ValueTest])
    /// A constant.
    case constant(Bool)

    /// A comparison operator.
    public enum ComparisonOperator: String, Hashable, Sendable {
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// Evaluates the test against a value with SQL's three-valued logic: `nil` means unknown,
    /// which a `WHERE` clause treats as false.
    public func evaluate(_ value: Value) -> Bool? {
        switch self {
        case .constant(let b):
            return b
        case .isNull:
            return value.isNull
        case .compare(let op, let operand):
            guard !value.isNull, let order = ValueOrdering.compare(value, operand) else { return nil }
            switch op {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            }
        case .like(let pattern):
            guard case .string(let s) = value else { return value.isNull ? nil : false }
            return LikePattern.matches(s, pattern: pattern)
        case .inList(let operands):
            guard !value.isNull else { return nil }
            return operands.contains { ValueOrdering.compare(value, $0) == 0 }
        case .jsonContains(let pattern):
            switch value {
            case .null: return nil
            case .json(let document): return document.contains(pattern)
            default: return false
            }
        case .not(let inner):
            return inner.evaluate(value).map { !$0 }
        case .all(let tests):
            return Self.conjunction(tests.lazy.map { $0.evaluate(value) })
        case .any(let tests):
            return Self.disjunction(tests.lazy.map { $0.evaluate(value) })
        }
    }

    /// Three-valued AND: false if any is false, else unknown if any is unknown, else true.
    public static func conjunction(_ results: some Sequence<Bool?>) -> Bool? {
        var unknown = false
        for result in results {
            if result == false { return false }
            if result == nil { unknown = true }
        }
        return unknown ? nil : true
    }

    /// Three-valued OR: true if any is true, else unknown if any is unknown, else false.
    public static func disjunction(_ results: some Sequence<Bool?>) -> Bool? {
        var unknown = false
        for result in results {
            if result == true { return true }
            if result == nil { unknown = true }
        }
        return unknown ? nil : false
    }
}
