import FerryCore
import FerryStore

/// Transform `include`: nests related records (dotted paths, up to three levels), loading them
/// for a whole batch at once: one query per relationship per batch, never one per record.
public struct IncludeTransform: RecordStage {
    /// The dataset the relations are read from.
    public let dataset: Dataset
    /// The type of the records.
    public let type: ResourceType
    /// What to include.
    public let tree: IncludeTree

    /// Creates the stage.
    public init(dataset: Dataset, type: ResourceType, tree: IncludeTree) {
        self.dataset = dataset
        self.type = type
        self.tree = tree
    }

    public func process(_ records: [Record]) async throws -> [Record] {
        try RelatedRecordLoader(dataset: dataset).include(tree, into: records, of: type)
    }

    public func outputShape(for input: RecordShape?) -> RecordShape? {
        guard var shape = input else { return nil }
        Self.extend(&shape, with: tree, type: type, catalog: dataset.catalog)
        return shape
    }

    static func extend(_ shape: inout RecordShape, with tree: IncludeTree, type: ResourceType, catalog: ResourceCatalog) {
        for (name, subtree) in tree.children {
            guard let relationship = type.relationship(named: name), let target = catalog[relationship.target] else { continue }
            var nested = target.exportShape
            extend(&nested, with: subtree, type: target, catalog: catalog)
            let field = RecordShape.Field(name, relationship.isToOne ? .one(nested) : .many(nested))
            if let index = shape.fields.firstIndex(where: { $0.name == name }) {
                shape.fields[index] = field
            } else {
                shape.fields.append(field)
            }
        }
    }
}
