/// A stage or pipeline configuration that cannot be used, with where it is and what was expected.
public struct StageConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where: `pipelines/x.yml:12: transforms[1].paths`.
    public var location: String
    /// What is wrong and what would be valid.
    public var message: String

    /// Creates an error.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
