import FerryCore
import FerryStore

/// Duplicates a dataset into another mode's (SPEC §5): every type, or the listed ones and what
/// they depend on, in dependency order, each through a dry-data export → import pipeline; then
/// verifies each type by comparing the dry-data digests of both sides.
public struct DatasetDuplicator: Sendable {
    /// The outcome for one type.
    public struct TypeResult: Sendable {
        /// The type.
        public var type: String
        /// Records in the source.
        public var sourceCount: Int
        /// What the import did.
        public var report: ImportReport
        /// Records in the target after the import.
        public var targetCount: Int
        /// Whether source and target dry data have the same count and digest.
        public var verified: Bool
        /// The source's digest.
        public var digest: String
        /// Seconds the copy and its verification took.
        public var seconds: Double
    }

    /// Progress through the duplication.
    public struct Progress: Sendable {
        /// The type being copied.
        public var type: String
        /// Its position in the plan (1-based) and the plan's length.
        public var step: Int, steps: Int
        /// Records of the type read so far, and its total.
        public var records: Int, total: Int
    }

    /// Where datasets come from.
    public let environment: StageEnvironment
    /// The source mode.
    public let from: DatasetMode
    /// The target mode.
    public let to: DatasetMode
    /// Filters per type (`orders: {status_in: [placed]}`): only matching source records are copied,
    /// and verification compares the matching records of both sides.
    public let filters: [String: JSONValue]
    /// When set, personal data is replaced with deterministic fakes on the way.
    public let anonymizer: AnonymizeTransform?

    /// Creates a duplicator.
    public init(environment: StageEnvironment, from: DatasetMode, to: DatasetMode, filters: [String: JSONValue] = [:], anonymizer: AnonymizeTransform? = nil) {
        self.environment = environment
        self.from = from
        self.to = to
        self.filters = filters
        self.anonymizer = anonymizer
    }

    /// The types to copy, in dependency order: `names` (all when empty) and what they need.
    public func plan(_ names: [String]) throws -> [ResourceType] {
        let catalog = environment.catalog
        let ordered = try catalog.dependencyOrder()
        guard !names.isEmpty else { return ordered }
        var needed = Set<String>()
        func add(_ name: String) throws {
            let type = try catalog.type(named: name)
            guard needed.insert(type.name).inserted else { return }
            for dependency in type.dependencies { try add(dependency) }
        }
        for name in names { try add(name) }
        return ordered.filter { needed.contains($0.name) }
    }

    /// Runs the duplication, reporting progress.
    public func run(types names: [String] = [], progress: @escaping @Sendable (Progress) async -> Void = { _ in }) async throws -> [TypeResult] {
        guard from != to else { throw FormatError.invalidOption("--from and --to must be different modes") }
        for name in filters.keys { _ = try environment.catalog.type(named: name) }
        let filters = try effectiveFilters()
        let source = try environment.dataset(from), target = try environment.dataset(to)
        let types = try plan(names)
        var results: [TypeResult] = []
        let clock = ContinuousClock()
        for (index, type) in types.enumerated() {
            let started = clock.now
            let sink = DatasetSink(dataset: target, type: type, options: .init())
            let observer = StepObserver(type: type.name, step: index + 1, steps: types.count, report: progress)
            _ = try await PipelineRunner().run(dryPipeline(type, from: source, into: sink, anonymize: true, filters: filters), observer: observer)
            let report = await sink.report
            let sourceDigest = try await digest(type, of: source, anonymize: true, filters: filters)
            let targetDigest = try await digest(type, of: target, anonymize: false, filters: filters)
            results.append(TypeResult(
                type: type.name, sourceCount: sourceDigest.count, report: report, targetCount: targetDigest.count,
                verified: sourceDigest == targetDigest, digest: sourceDigest.hex, seconds: PipelineRunner.seconds(clock.now - started)))
        }
        return results
    }

    /// The filters per type, with each filtered type's filter carried to the types that require it
    /// (line items follow their orders: `status_in` on orders becomes `order_status_in` on line items).
    public func effectiveFilters() throws -> [String: JSONValue] {
        var effective = filters
        for type in try environment.catalog.dependencyOrder() {
            var members: [JSONMember] = []
            if case .object(let own)? = effective[type.name] { members = own }
            for relationship in type.belongsTo where relationship.isRequired {
                guard case .object(let inherited)? = effective[relationship.target] else { continue }
                members += inherited.map { JSONMember(relationship.name + "_" + $0.key, $0.value) }
            }
            if !members.isEmpty { effective[type.name] = .object(members) }
        }
        return effective
    }

    /// The dry-data pipeline of a type: its many-to-many relationships (tags) travel nested.
    func dryPipeline(_ type: ResourceType, from dataset: Dataset, into sink: any SinkStage, anonymize: Bool, filters: [String: JSONValue]) throws -> Pipeline {
        let catalog = environment.catalog
        var stages: [any RecordStage] = []
        let linked = type.relationships.filter { if case .manyToMany = $0.kind { return true } else { return false } }.map(\.name)
        if !linked.isEmpty {
            stages.append(IncludeTransform(dataset: dataset, type: type, tree: try IncludeTree(paths: linked, type: type, catalog: catalog)))
        }
        stages.append(DryDataTransform(dataset: dataset, type: type))
        if anonymize, let anonymizer { stages.append(anonymizer) }
        let filter = try filters[type.name].map { try Filter($0, for: type, in: catalog) }
        return Pipeline(name: "duplicate-\(type.name)", source: DatasetSource(dataset: dataset, query: RecordQuery(type: type, filter: filter)), stages: stages, sink: sink)
    }

    /// The count and digest of a type's dry data in a dataset.
    public func digest(_ type: ResourceType, of dataset: Dataset, anonymize: Bool = false, filters: [String: JSONValue] = [:]) async throws -> DigestValue {
        let sink = DigestSink()
        _ = try await PipelineRunner().run(dryPipeline(type, from: dataset, into: sink, anonymize: anonymize, filters: filters))
        let (count, hex) = await sink.digest
        return DigestValue(count: count, hex: hex)
    }

    /// A count and a content digest.
    public struct DigestValue: Hashable, Sendable {
        /// Records.
        public var count: Int
        /// Their order-independent digest.
        public var hex: String
    }

    private struct StepObserver: PipelineObserver {
        let type: String
        let step: Int, steps: Int
        let report: @Sendable (Progress) async -> Void

        func progress(_ progress: PipelineProgress) async {
            await report(Progress(type: type, step: step, steps: steps, records: progress.recordsIn, total: progress.estimatedTotal ?? progress.recordsIn))
        }
    }
}
