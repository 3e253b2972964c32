/// One parsed filter key and its value: a test applied to one or more attributes, ORed.
public struct FilterCondition: Hashable, Sendable {
    /// The key as written (`code_or_name_cont`).
    public var key: String
    /// The attributes tested; the condition holds when the test holds for any of them.
    public var paths: [AttributePath]
    /// The predicate named by the key.
    public var predicate: FilterPredicate
    /// What the predicate means for the given value.
    public var test: ValueTest

    /// Creates a condition.
    public init(key: String, paths: [AttributePath], predicate: FilterPredicate, test: ValueTest) {
        self.key = key
        self.paths = paths
        self.predicate = predicate
        self.test = test
    }

    /// Evaluates the condition in memory with SQL's three-valued logic: `nil` is unknown.
    public func evaluate(_ lookup: (AttributePath) -> Value) -> Bool? {
        ValueTest.disjunction(paths.map { test.evaluate(lookup($0)) })
    }
}
