/// The two kinds of job the service queues.
public enum JobKind: String, Hashable, Sendable, CaseIterable {
    /// An export (`/api/exports`).
    case export = "exports"
    /// An import (`/api/imports`).
    case `import` = "imports"

    /// The job's resource type, whose name is also its table and JSON:API type.
    public var resourceType: ResourceType {
        switch self {
        case .export: return JobTypes.exports
        case .import: return JobTypes.imports
        }
    }
}
