import Synchronization

/// What a factory builds: a stage of one of the four kinds.
public enum AnyStage: Sendable {
    case source(any SourceStage)
    case filter(any RecordStage)
    case transform(any RecordStage)
    case sink(any SinkStage)

    /// The stage's kind.
    public var kind: StageKind {
        switch self {
        case .source: return .source
        case .filter: return .filter
        case .transform: return .transform
        case .sink: return .sink
        }
    }
}

/// What a factory may know while building a stage: the catalog and the resource type flowing
/// through the pipeline (from its source), so filters and includes are validated at build time.
public struct StageBuildContext: Sendable {
    /// The catalog.
    public var catalog: ResourceCatalog
    /// The resource type of the pipeline's records, when the source declares one.
    public var resourceType: ResourceType?
    /// The pipeline's name.
    public var pipelineName: String

    /// Creates a context.
    public init(catalog: ResourceCatalog, resourceType: ResourceType? = nil, pipelineName: String = "") {
        self.catalog = catalog
        self.resourceType = resourceType
        self.pipelineName = pipelineName
    }

    /// The resource type, or an error saying the stage needs one.
    public func requireResourceType(_ options: StageOptions) throws(StageConfigurationError) -> ResourceType {
        guard let resourceType else {
            throw StageConfigurationError(location: options.location, message: "this stage needs a source that declares its resource type")
        }
        return resourceType
    }
}

/// A registered stage: its name, kind, options and factory.
public struct StageDescriptor: Sendable {
    /// The factory type.
    public typealias Factory = @Sendable (StageOptions, StageBuildContext) throws -> AnyStage

    /// The registry name (`dataset`, `where`, `csv`).
    public var name: String
    /// The stage's kind.
    public var kind: StageKind
    /// One line saying what it does.
    public var summary: String
    /// The options it accepts.
    public var options: [StageOption]
    /// Builds the stage from validated options.
    public var make: Factory

    /// Creates a descriptor.
    public init(name: String, kind: StageKind, summary: String, options: [StageOption], make: @escaping Factory) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.options = options
        self.make = make
    }
}

/// Maps stage names to factories. Built-in stages and plugins register the same way; a name can
/// be registered once per kind (`dataset` is both a source and a sink, as SPEC §6 names them).
public final class StageRegistry: Sendable {
    private struct Key: Hashable {
        var kind: StageKind
        var name: String
    }

    private let descriptors = Mutex<[Key: StageDescriptor]>([:])

    /// Creates an empty registry.
    public init() {}

    /// Registers a stage; a name already taken is refused.
    public func register(_ descriptor: StageDescriptor) throws(StageRegistryError) {
        let key = Key(kind: descriptor.kind, name: descriptor.name)
        try descriptors.withLock { (all: inout [Key: StageDescriptor]) throws(StageRegistryError) in
            guard all[key] == nil else { throw .duplicateName(descriptor.name) }
            all[key] = descriptor
        }
    }

    /// The stage of a kind registered under a name.
    public func descriptor(named name: String, kind: StageKind) -> StageDescriptor? {
        descriptors.withLock { $0[Key(kind: kind, name: name)] }
    }

    /// Every registered stage, by kind then name.
    public var all: [StageDescriptor] {
        let kinds = StageKind.allCases
        return descriptors.withLock { Array($0.values) }.sorted {
            ($0.kind == $1.kind) ? $0.name < $1.name : kinds.firstIndex(of: $0.kind)! < kinds.firstIndex(of: $1.kind)!
        }
    }

    /// Builds one stage of an expected kind from its specification.
    public func build(_ spec: StageSpec, expecting kind: StageKind, context: StageBuildContext) throws -> AnyStage {
        guard let descriptor = descriptor(named: spec.type, kind: kind) else {
            if let other = all.first(where: { $0.name == spec.type }) {
                throw StageConfigurationError(
                    location: spec.location, message: "'\(spec.type)' is a \(other.kind.rawValue) stage, not a \(kind.rawValue)")
            }
            let valid = all.filter { $0.kind == kind }.map(\.name)
            throw StageConfigurationError(
                location: spec.location, message: "unknown \(kind.rawValue) stage '\(spec.type)'; valid: \(valid.joined(separator: ", "))")
        }
        let options = try StageOptions(spec.options, declared: descriptor.options, location: spec.location, lines: spec.lines)
        return try descriptor.make(options, context)
    }

    /// Builds a runnable pipeline from its definition, validating every stage.
    public func build(_ definition: PipelineDefinition, catalog: ResourceCatalog) throws -> Pipeline {
        var context = StageBuildContext(catalog: catalog, pipelineName: definition.name)
        guard case .source(let source) = try build(definition.source, expecting: .source, context: context) else {
            preconditionFailure("kind checked by build")
        }
        context.resourceType = source.resourceType
        var stages: [any RecordStage] = []
        for spec in definition.filters {
            if case .filter(let stage) = try build(spec, expecting: .filter, context: context) { stages.append(stage) }
        }
        for spec in definition.transforms {
            if case .transform(let stage) = try build(spec, expecting: .transform, context: context) { stages.append(stage) }
        }
        guard case .sink(let sink) = try build(definition.sink, expecting: .sink, context: context) else {
            preconditionFailure("kind checked by build")
        }
        return Pipeline(name: definition.name, source: source, stages: stages, sink: sink, batchSize: definition.batchSize)
    }
}

/// A registry fault.
public enum StageRegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Two stages claim one name.
    case duplicateName(String)

    public var description: String {
        switch self {
        case .duplicateName(let name): return "a stage named '\(name)' is already registered"
        }
    }
}
