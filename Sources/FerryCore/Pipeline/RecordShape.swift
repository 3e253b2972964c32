/// The fields records will have when they reach a stage, in order, as far as stages can know
/// ahead of the records: what lets a CSV sink write its header before the first record.
public struct RecordShape: Hashable, Sendable {
    /// One field of a shape.
    public struct Field: Hashable, Sendable {
        /// The field's name.
        public var name: String
        /// What the field holds.
        public var kind: Kind

        /// Creates a field.
        public init(_ name: String, _ kind: Kind = .value) {
            self.name = name
            self.kind = kind
        }
    }

    /// What a field holds.
    public indirect enum Kind: Hashable, Sendable {
        /// A plain value.
        case value
        /// A nested belongs-to record of the given shape.
        case one(RecordShape)
        /// Nested has-many records of the given shape.
        case many(RecordShape)
    }

    /// The fields, in order.
    public var fields: [Field]

    /// Creates a shape.
    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    /// The field named, if any.
    public subscript(name: String) -> Field? {
        fields.first { $0.name == name }
    }

    /// The names of the fields.
    public var names: [String] { fields.map(\.name) }
}
