/// One attribute of a resource type: its name, type, flags and where its value comes from.
public struct Attribute: Hashable, Sendable {
    /// Where an attribute's value comes from; dry data keeps only ``input`` attributes.
    public enum Origin: Hashable, Sendable {
        /// Given by whoever creates or imports the record; stored.
        case input
        /// Made by the server (`id`, `created_at`, counters, hashes); stored, never imported.
        case server
        /// Derived from other attributes when a record is read; never stored.
        case computed(Derivation)
    }

    /// How a computed attribute is derived from stored ones.
    public enum Derivation: Hashable, Sendable {
        /// `amount_float` from `amount_cents`: the cents divided by 100.
        case centsAsFloat(String)
        /// `formatted_amount` from `amount_cents` and the record's `currency_code`: `€12,34`-style text.
        case formattedCents(String)
    }

    /// Facts about an attribute that the catalog's users check.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A record without it is invalid.
        public static let required = Flags(rawValue: 1 << 0)
        /// Filters may name it.
        public static let filterable = Flags(rawValue: 1 << 1)
        /// Sorts may name it.
        public static let sortable = Flags(rawValue: 1 << 2)
        /// Never written to an export (`exportable: false` in the resource schema).
        public static let unexportable = Flags(rawValue: 1 << 3)
        /// Filterable and sortable.
        public static let queryable: Flags = [.filterable, .sortable]
    }

    /// The attribute's name (`code`, `amount_cents`).
    public var name: String
    /// The attribute's type.
    public var type: AttributeType
    /// Its flags.
    public var flags: Flags
    /// Where its value comes from.
    public var origin: Origin

    /// Creates an attribute.
    public init(_ name: String, _ type: AttributeType, _ flags: Flags = [], origin: Origin = .input) {
        self.name = name
        self.type = type
        self.flags = flags
        self.origin = origin
    }

    /// Whether a record without it is invalid.
    public var isRequired: Bool { flags.contains(.required) }
    /// Whether filters may name it.
    public var isFilterable: Bool { flags.contains(.filterable) }
    /// Whether sorts may name it.
    public var isSortable: Bool { flags.contains(.sortable) }
    /// Whether exports may write it.
    public var isExportable: Bool { !flags.contains(.unexportable) }
    /// Whether it has a column in the dataset.
    public var isStored: Bool {
        if case .computed = origin { return false }
        return true
    }
    /// Whether imports take it and dry data keeps it.
    public var isInput: Bool { origin == .input }
}

extension Attribute {
    /// A string attribute.
    public static func string(_ name: String, _ flags: Flags = [], origin: Origin = .input) -> Attribute {
        Attribute(name, .string, flags, origin: origin)
    }
    /// An integer attribute.
    public static func integer(_ name: String, _ flags: Flags = [], origin: Origin = .input) -> Attribute {
        Attribute(name, .integer, flags, origin: origin)
    }
    /// A floating-point attribute.
    public static func float(_ name: String, _ flags: Flags = [], origin: Origin = .input) -> Attribute {
        Attribute(name, .float, flags, origin: origin)
    }
    /// A boolean attribute.
    public static func boolean(_ name: String, _ flags: Flags = [], origin: Origin = .input) -> Attribute {
        Attribute(name, .boolean, flags, origin: origin)
    }
    /// A date-time attribute.
    public static func datetime(_ name: String, _ flags: Flags = [], origin: Origin = .input) -> Attribute {
        Attribute(name, .datetime, flags, origin: origin)
    }
    /// A JSON object attribute.
    public static func object(_ name: String, _ flags: Flags = [], origin: Origin = .input) -> Attribute {
        Attribute(name, .object, flags, origin: origin)
    }
    /// A JSON array attribute.
    public static func array(_ name: String, _ flags: Flags = [], origin: Origin = .input) -> Attribute {
        Attribute(name, .array, flags, origin: origin)
    }
    /// The `<name>_float` companion of a cents attribute.
    public static func centsFloat(_ name: String, from cents: String) -> Attribute {
        Attribute(name, .float, [], origin: .computed(.centsAsFloat(cents)))
    }
    /// The `formatted_<name>` companion of a cents attribute.
    public static func formatted(_ name: String, from cents: String) -> Attribute {
        Attribute(name, .string, [], origin: .computed(.formattedCents(cents)))
    }
}
