import FerryCore
import GRDB

/// How a type's records map to its table's columns: which columns are read, in what order, and
/// as which attribute types.
public struct RecordLayout: Sendable {
    /// The column names, in table order.
    public let columns: [String]
    /// The attribute type of each column; foreign keys are strings.
    public let types: [AttributeType]

    /// The layout of a type's table.
    public init(type: ResourceType) {
        let stored = type.storedAttributes
        columns = stored.map(\.name) + type.belongsTo.compactMap(\.foreignKey)
        types = stored.map(\.type) + Array(repeating: .string, count: type.belongsTo.count)
    }

    /// The `SELECT` list for the table aliased `alias`.
    public func selectList(alias: String) -> String {
        columns.map { "\(quoted(alias)).\(quoted($0))" }.joined(separator: ", ")
    }

    /// A record from a row selected with ``selectList(alias:)``.
    public func record(from row: Row, offset: Int = 0) -> Record {
        var values: [Value] = []
        values.reserveCapacity(columns.count)
        for i in 0..<columns.count {
            values.append(Value(databaseValue: row[offset + i], as: types[i]))
        }
        return Record(names: columns, values: values)
    }
}
