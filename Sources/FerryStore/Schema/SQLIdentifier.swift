/// Quotes a catalog name for SQL text. Only catalog names ever reach SQL text; every value from
/// a request is bound as a parameter.
@inline(__always)
func quoted(_ identifier: String) -> String {
    guard identifier.utf8.contains(34) else { return "\"" + identifier + "\"" }
    return "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
}
