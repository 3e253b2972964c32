/// One configuration option a stage accepts: what `ferry stages` lists and what validation checks.
public struct StageOption: Hashable, Sendable {
    /// The type of an option's value.
    public enum ValueType: String, Hashable, Sendable {
        case string, integer, boolean, stringList = "list of strings", object, any
    }

    /// The option's key.
    public var name: String
    /// Its value type.
    public var type: ValueType
    /// Whether a configuration must give it.
    public var isRequired: Bool
    /// The default, as shown to users.
    public var defaultValue: String?
    /// One line of help.
    public var help: String

    /// Creates an option.
    public init(_ name: String, _ type: ValueType, required: Bool = false, default defaultValue: String? = nil, help: String) {
        self.name = name
        self.type = type
        self.isRequired = required
        self.defaultValue = defaultValue
        self.help = help
    }
}
