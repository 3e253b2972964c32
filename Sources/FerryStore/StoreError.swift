import FerryCore

/// A fault in the store layer, with the context needed to act on it.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A catalog market-scope rule names a relationship that cannot carry it.
    case invalidScope(type: String, relationship: String)
    /// `ferry seed` was asked to fill a dataset that already holds records.
    case datasetNotEmpty(mode: DatasetMode, path: String)
    /// A seed parameter is out of range.
    case invalidSeedParameter(String)
    /// Opening a dataset made by an earlier catalog needed a unique index on a natural key that
    /// records of the dataset already share.
    case conflictingKeys(table: String, columns: [String])

    public var description: String {
        switch self {
        case .invalidScope(let type, let relationship):
            return "the market scope of \(type) names '\(relationship)', which is not a suitable relationship"
        case .datasetNotEmpty(let mode, let path):
            return "the \(mode) dataset at \(path) already holds records; pass --replace to start it afresh"
        case .invalidSeedParameter(let message):
            return message
        case .conflictingKeys(let table, let columns):
            return "the dataset holds \(table) records that share a natural key (\(columns.joined(separator: ", "))), "
                + "which this version of Ferry requires to be unique; remove or change the duplicates with an earlier version"
        }
    }
}
