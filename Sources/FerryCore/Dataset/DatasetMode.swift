/// The mode a dataset belongs to. An installation holds one dataset per mode, and they share
/// nothing: a record, job or attachment of one mode is invisible from the other.
public enum DatasetMode: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case test
    case live

    public var description: String { rawValue }

    /// The other mode.
    public var other: DatasetMode { self == .test ? .live : .test }
}
