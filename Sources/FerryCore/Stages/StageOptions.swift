/// A stage's configuration values with typed accessors that fail with precise locations.
///
/// Built from the stage's entry in a pipeline file (or from CLI flags); keys not declared by the
/// stage's ``StageOption``s are refused when the options are created, so a typo is never ignored.
public struct StageOptions: Sendable {
    /// The raw values.
    public let values: [String: JSONValue]
    /// Where the options came from (`pipelines/x.yml: transforms[1]`).
    public let location: String
    /// Line numbers of keys, when the source format has them.
    public let lines: [String: Int]

    /// Creates options, checking keys, required keys and value types against a stage's declaration.
    public init(_ object: JSONValue, declared: [StageOption], location: String, lines: [String: Int] = [:]) throws(StageConfigurationError) {
        self.location = location
        self.lines = lines
        guard case .object(let members) = object else {
            throw StageConfigurationError(location: location, message: "expected a mapping of options")
        }
        var values: [String: JSONValue] = [:]
        let names = Set(declared.map(\.name))
        for member in members where member.key != "type" {
            guard names.contains(member.key) else {
                throw StageConfigurationError(
                    location: Self.locate(location, member.key, lines),
                    message: "unknown option '\(member.key)'; valid options: \(declared.map(\.name).joined(separator: ", "))")
            }
            values[member.key] = member.value
        }
        self.values = values
        for option in declared {
            guard let value = values[option.name], value != .null else {
                if option.isRequired {
                    throw StageConfigurationError(location: location, message: "missing required option '\(option.name)' (\(option.help))")
                }
                continue
            }
            guard Self.fits(value, option.type) else {
                throw StageConfigurationError(
                    location: Self.locate(location, option.name, lines),
                    message: "option '\(option.name)' must be \(option.type.rawValue), not \(value.jsonText)")
            }
        }
    }

    /// Options made directly from values, already known to be valid (CLI flags).
    public init(trusted values: [String: JSONValue], location: String) {
        self.values = values
        self.location = location
        self.lines = [:]
    }

    static func fits(_ value: JSONValue, _ type: StageOption.ValueType) -> Bool {
        switch (type, value) {
        case (.any, _), (.string, .string), (.integer, .int), (.boolean, .bool), (.object, .object): return true
        case (.stringList, .string): return true
        case (.stringList, .array(let elements)):
            return elements.allSatisfy { if case .string = $0 { return true } else { return false } }
        default: return false
        }
    }

    static func locate(_ location: String, _ key: String, _ lines: [String: Int]) -> String {
        if let line = lines[key] { return "\(location).\(key) (line \(line))" }
        return "\(location).\(key)"
    }

    /// An error about one option, located.
    public func error(_ key: String, _ message: String) -> StageConfigurationError {
        StageConfigurationError(location: Self.locate(location, key, lines), message: message)
    }

    /// A string option.
    public func string(_ key: String) -> String? {
        if case .string(let s)? = values[key] { return s }
        return nil
    }

    /// A required string option.
    public func requiredString(_ key: String) throws(StageConfigurationError) -> String {
        guard let s = string(key) else { throw error(key, "is required") }
        return s
    }

    /// An integer option.
    public func int(_ key: String) -> Int? {
        if case .int(let i)? = values[key] { return Int(i) }
        return nil
    }

    /// A boolean option.
    public func bool(_ key: String) -> Bool? {
        if case .bool(let b)? = values[key] { return b }
        return nil
    }

    /// A list of strings: an array, or one comma-separated string.
    public func strings(_ key: String) -> [String]? {
        switch values[key] {
        case .array(let elements)?:
            return elements.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        case .string(let s)?:
            return s.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        default:
            return nil
        }
    }

    /// An object option.
    public func object(_ key: String) -> JSONValue? {
        if case .object? = values[key] { return values[key] }
        return nil
    }
}

extension String {
    /// The string without leading and trailing spaces.
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
