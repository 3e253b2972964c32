import FerryCore

extension ResourceType {
    /// An attribute's value as clients generated from Commerce Layer's schema parse it: an
    /// object attribute (`metadata`, `filters`, `errors_log`, …) is `{}` when it has none, an
    /// array attribute (`includes`, `fields`) `[]`, never `null`.
    func presented(_ value: Value, of name: String) -> JSONValue {
        guard case .null = value else { return value.jsonValue }
        switch attribute(named: name)?.type {
        case .object?: return .object([])
        case .array?: return .array([])
        default: return .null
        }
    }
}
