import FerryCore
import GRDB

/// How a type's records map to its table's columns: which columns are selected, and how each
/// field of the record is made from them.
///
/// Two forms: ``Form/stored`` gives exactly the stored columns; ``Form/exported`` gives what an
/// export writes — exportable attributes in catalog order with computed ones derived, then the
/// `<relationship>_id` keys — built straight from the row, with every column position worked
/// out once per layout instead of once per field per record.
public struct RecordLayout: Sendable {
    /// Which fields a record gets.
    public enum Form: Sendable {
        /// Every stored column, in table order.
        case stored
        /// What exports write.
        case exported
    }

    enum Source: Sendable {
        case column(Int)
        case derived(Attribute.Derivation, cents: Int, currency: Int?)
    }

    /// The columns selected, in order.
    public let columns: [String]
    private let types: [AttributeType]
    private let names: [String]
    private let sources: [Source]

    /// The layout of a type's table in one form.
    public init(type: ResourceType, form: Form = .stored) {
        let stored = type.storedAttributes
        columns = stored.map(\.name) + type.belongsTo.compactMap(\.foreignKey)
        types = stored.map(\.type) + Array(repeating: .string, count: type.belongsTo.count)
        let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        switch form {
        case .stored:
            names = columns
            sources = columns.indices.map(Source.column)
        case .exported:
            var names: [String] = []
            var sources: [Source] = []
            for attribute in type.exportableAttributes {
                switch attribute.origin {
                case .computed(let derivation):
                    guard let cents = index[derivation.source] else { continue }
                    sources.append(.derived(derivation, cents: cents, currency: index["currency_code"]))
                default:
                    guard let column = index[attribute.name] else { continue }
                    sources.append(.column(column))
                }
                names.append(attribute.name)
            }
            for key in type.belongsTo.compactMap(\.foreignKey) {
                names.append(key)
                sources.append(.column(index[key]!))
            }
            self.names = names
            self.sources = sources
        }
    }

    /// The `SELECT` list for the table aliased `alias`.
    public func selectList(alias: String) -> String {
        columns.map { "\(quoted(alias)).\(quoted($0))" }.joined(separator: ", ")
    }

    /// A record from the current row of a stepped statement whose columns, from `offset` on, are
    /// ``selectList(alias:)``.
    func record(from statement: OpaquePointer, offset: Int = 0) -> Record {
        var values: [Value] = []
        values.reserveCapacity(sources.count)
        for source in sources {
            switch source {
            case .column(let i):
                values.append(RawRows.value(statement, Int32(offset + i), as: types[i]))
            case .derived(let derivation, let cents, let currency):
                let currencyValue = currency.map { RawRows.value(statement, Int32(offset + $0), as: .string) }
                values.append(derivation.value(from: RawRows.value(statement, Int32(offset + cents), as: .integer), currency: currencyValue))
            }
        }
        return Record(names: names, values: values)
    }

    /// Every record a query returns, its columns from `offset` on being ``selectList(alias:)``;
    /// `each` sees the statement first, for columns before `offset`.
    func records(_ db: GRDB.Database, sql: String, arguments: StatementArguments, offset: Int = 0, cached: Bool = false, each: (OpaquePointer) -> Void = { _ in }) throws -> [Record] {
        var records: [Record] = []
        try RawRows.forEach(db, sql: sql, arguments: arguments, cached: cached) { statement in
            each(statement)
            records.append(record(from: statement, offset: offset))
        }
        return records
    }
}
