import FerryCore

/// An export described the way `ferry export` and the `/api/exports` object describe it, turned
/// into an ordinary pipeline definition: exports are pipelines and run through the same runner.
public struct ExportPlan: Sendable {
    /// The resource type exported.
    public var resourceType: String
    /// The dataset read.
    public var mode: DatasetMode
    /// The output format.
    public var format: OutputFormat
    /// Include paths.
    public var includes: [String]
    /// Field paths.
    public var fields: [String]
    /// Filters, as a JSON object of predicate keys.
    public var filters: JSONValue?
    /// Whether to write dry data.
    public var dryData: Bool
    /// Market codes to scope to.
    public var markets: [String]
    /// Where to write; `-` is standard output.
    public var output: String
    /// Whether to gzip (default: when the output ends in `.gz`).
    public var gzip: Bool?
    /// Records per batch.
    public var batchSize: Int
    /// Encoded bytes the sink buffers before a write and a checkpoint (default: the sink's).
    public var flushBytes: Int?
    /// A sink stage to write with instead of the format's (a plugin format such as `xml`).
    public var sinkType: String?

    /// Creates a plan.
    public init(resourceType: String, mode: DatasetMode = .test, format: OutputFormat = .json, includes: [String] = [], fields: [String] = [], filters: JSONValue? = nil, dryData: Bool = false, markets: [String] = [], output: String, gzip: Bool? = nil, batchSize: Int = Pipeline.defaultBatchSize, flushBytes: Int? = nil) {
        self.resourceType = resourceType
        self.mode = mode
        self.format = format
        self.includes = includes
        self.fields = fields
        self.filters = filters
        self.dryData = dryData
        self.markets = markets
        self.output = output
        self.gzip = gzip
        self.batchSize = batchSize
        self.flushBytes = flushBytes
    }

    /// The pipeline definition of the export.
    public func definition(catalog: ResourceCatalog) -> PipelineDefinition {
        func spec(_ type: String, _ members: [JSONMember], _ location: String) -> StageSpec {
            StageSpec(type: type, options: .object([JSONMember("type", .string(type))] + members), location: location)
        }
        var source: [JSONMember] = [JSONMember("resource_type", .string(resourceType)), JSONMember("mode", .string(mode.rawValue))]
        if let filters { source.append(JSONMember("filters", filters)) }
        if !markets.isEmpty { source.append(JSONMember("market", .array(markets.map(JSONValue.string)))) }
        var transforms: [StageSpec] = []
        // Fields that name a relationship's field include that relationship.
        var paths = includes
        if let type = catalog[resourceType], let selection = try? FieldSelection(paths: fields, type: type, catalog: catalog) {
            for path in selection.includePaths where !paths.contains(path) && !paths.contains(where: { $0.hasPrefix(path + ".") }) {
                paths.append(path)
            }
        }
        if !paths.isEmpty {
            transforms.append(spec("include", [JSONMember("paths", .array(paths.map(JSONValue.string))), JSONMember("mode", .string(mode.rawValue))], "includes"))
        }
        if !fields.isEmpty { transforms.append(spec("fields", [JSONMember("fields", .array(fields.map(JSONValue.string)))], "fields")) }
        if dryData { transforms.append(spec("dry-data", [JSONMember("mode", .string(mode.rawValue))], "dry_data")) }
        var sink = [JSONMember("path", .string(output))]
        if let gzip { sink.append(JSONMember("gzip", .bool(gzip))) }
        if let flushBytes { sink.append(JSONMember("flush_bytes", .int(Int64(flushBytes)))) }
        return PipelineDefinition(
            name: "export-\(resourceType)", source: spec("dataset", source, "export"), transforms: transforms,
            sink: spec(sinkType ?? format.rawValue, sink, "output"), batchSize: batchSize)
    }
}
