import FerryCore

/// Transform `rename`: renames fields, keeping their positions.
public struct RenameTransform: RecordStage {
    /// Old name → new name, in the order given.
    public let renames: [(from: String, to: String)]

    /// Creates the stage.
    public init(renames: [(from: String, to: String)]) {
        self.renames = renames
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        records.map { record in
            var record = record
            for (from, to) in renames { record.rename(from, to: to) }
            return record
        }
    }

    public func outputShape(for input: RecordShape?) -> RecordShape? {
        guard var shape = input else { return nil }
        for (from, to) in renames {
            if from != to, shape[from] != nil { shape.fields.removeAll { $0.name == to } }
            if let i = shape.fields.firstIndex(where: { $0.name == from }) { shape.fields[i].name = to }
        }
        return shape
    }
}

/// Transform `set`: gives fields constant values (replacing or appending them).
public struct SetTransform: RecordStage {
    /// Field → value, in the order given.
    public let assignments: [(name: String, value: Value)]

    /// Creates the stage.
    public init(assignments: [(name: String, value: Value)]) {
        self.assignments = assignments
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        records.map { record in
            var record = record
            for (name, value) in assignments { record[name] = value }
            return record
        }
    }

    public func outputShape(for input: RecordShape?) -> RecordShape? {
        guard var shape = input else { return nil }
        for (name, _) in assignments where shape[name] == nil { shape.fields.append(.init(name)) }
        return shape
    }

}
