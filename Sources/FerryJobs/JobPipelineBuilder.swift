import FerryCore
import FerryStages
import FerryStore
import Foundation

/// Turns a stored job into the pipeline that runs it: an export is an ``ExportPlan`` (dataset
/// source → transforms → file sink), an import is the stored inputs' file source → the `dataset`
/// sink. Both are built through the registry, exactly as `ferry export` and `ferry import` build
/// theirs; nothing bypasses the runner.
public struct JobPipelineBuilder: Sendable {
    /// The registry stages come from (built-ins and plugins).
    public let registry: StageRegistry
    /// The data directory attachments live in.
    public let directory: DataDirectory
    /// Records per batch.
    public var batchSize: Int
    /// Encoded bytes an export buffers before a checkpoint (nil: the sink's default).
    public var flushBytes: Int?

    /// Creates a builder.
    public init(registry: StageRegistry, directory: DataDirectory, batchSize: Int = Pipeline.defaultBatchSize, flushBytes: Int? = nil) {
        self.registry = registry
        self.directory = directory
        self.batchSize = batchSize
        self.flushBytes = flushBytes
    }

    /// The export plan a stored export describes.
    public func exportPlan(_ job: JobRow, mode: DatasetMode) -> ExportPlan {
        let record = job.record
        let format = record["format"]?.stringValue ?? "json"
        var plan = ExportPlan(
            resourceType: record["resource_type"]?.stringValue ?? "",
            mode: mode,
            format: OutputFormat(rawValue: format) ?? .json,
            includes: Self.strings(record["includes"]),
            fields: Self.strings(record["fields"]),
            filters: record["filters"].flatMap { $0.isNull ? nil : $0.jsonValue },
            dryData: record["dry_data"] == .bool(true),
            markets: record["jwt_filters"] == .bool(true) ? Self.strings(job.detail("markets").map(Value.init)) : [],
            output: directory.attachmentURL(mode: mode, kind: .export, id: job.id, format: format).path,
            gzip: true,
            batchSize: batchSize,
            flushBytes: flushBytes)
        if OutputFormat(rawValue: format) == nil { plan.sinkType = format }
        return plan
    }

    /// The pipeline that runs a stored job.
    public func pipeline(for job: JobRow, mode: DatasetMode) throws -> Pipeline {
        switch job.kind {
        case .export:
            let plan = exportPlan(job, mode: mode)
            // The server's attachments folder is made here, on first use: a file sink never makes folders.
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: plan.output).deletingLastPathComponent(), withIntermediateDirectories: true)
            return try registry.build(plan.definition(catalog: .commerce), catalog: .commerce)
        case .import:
            return try registry.build(importDefinition(job, mode: mode), catalog: .commerce)
        }
    }

    /// The source stage that reads the stored inputs of the import `record` (of id `id`); with
    /// `markingFaultyInputs`, a record with invalid UTF-8 comes out marked, for the importer to
    /// refuse it alone, instead of failing the read.
    public func inputsSource(id: String, record: Record, mode: DatasetMode, markingFaultyInputs: Bool = true) -> StageSpec {
        let type = record["resource_type"]?.stringValue ?? ""
        let format = record["format"]?.stringValue ?? "json"
        let path = directory.attachmentURL(mode: mode, kind: .import, id: id, format: format).path
        var source: [JSONMember] = [JSONMember("type", .string(OutputFormat(rawValue: format) == nil ? format : "file")),
                                    JSONMember("path", .string(path)), JSONMember("resource_type", .string(type))]
        if OutputFormat(rawValue: format) != nil {
            source.append(JSONMember("format", .string(format)))
            if markingFaultyInputs { source.append(JSONMember("mark_faulty_inputs", .bool(true))) }
        }
        return StageSpec(type: source[0].value.stringValue ?? "file", options: .object(source), location: "inputs")
    }

    /// The pipeline definition of a stored import.
    public func importDefinition(_ job: JobRow, mode: DatasetMode) -> PipelineDefinition {
        let record = job.record
        let type = record["resource_type"]?.stringValue ?? ""
        var sink: [JSONMember] = [
            JSONMember("type", "dataset"), JSONMember("mode", .string(mode.rawValue)), JSONMember("resource_type", .string(type)),
            JSONMember("skip_errors", .bool(record["skip_errors"] == .bool(true))),
            JSONMember("cleanup", .bool(record["cleanup_records"] == .bool(true))),
        ]
        if let parent = record["parent_resource_id"]?.stringValue { sink.append(JSONMember("parent", .string(parent))) }
        return PipelineDefinition(
            name: "import-\(type)", source: inputsSource(id: job.id, record: record, mode: mode),
            sink: StageSpec(type: "dataset", options: .object(sink), location: "import"), batchSize: batchSize)
    }

    /// The strings of an array value (`includes`, `fields`, market codes).
    static func strings(_ value: Value?) -> [String] {
        guard case .json(.array(let items))? = value else { return [] }
        return items.compactMap(\.stringValue)
    }
}
