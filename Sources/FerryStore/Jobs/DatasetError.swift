/// A request the dataset refuses before running any SQL.
public enum DatasetError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A sort names an attribute that is not sortable.
    case invalidSort(attribute: String, type: String)
    /// An update names a column the table does not have.
    case unknownColumn(String, type: String)

    public var description: String {
        switch self {
        case .invalidSort(let attribute, let type): return "'\(attribute)' is not a sortable attribute of \(type)"
        case .unknownColumn(let name, let type): return "\(type) has no attribute '\(name)'"
        }
    }
}
