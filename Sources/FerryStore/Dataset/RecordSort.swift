/// A sort key of a list: an attribute (which must be sortable) and a direction.
public struct RecordSort: Hashable, Sendable {
    /// The attribute sorted on.
    public var attribute: String
    /// Whether larger values come first.
    public var descending: Bool

    /// Creates a sort key.
    public init(_ attribute: String, descending: Bool = false) {
        self.attribute = attribute
        self.descending = descending
    }
}
