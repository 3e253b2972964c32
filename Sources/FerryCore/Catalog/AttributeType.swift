/// The type of a resource attribute, as the Commerce Layer resource schema names it.
public enum AttributeType: String, Hashable, Sendable, CaseIterable {
    case string
    case integer
    case float
    case boolean
    case datetime
    case object
    case array

    /// Whether values of this type are JSON documents.
    public var isJSON: Bool { self == .object || self == .array }
}
