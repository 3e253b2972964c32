import ArgumentParser
import FerryAPI
import FerryCore
import FerryStages
import Foundation

extension OutputFormat: ExpressibleByArgument {}

/// `ferry export`: one resource type of a dataset to a file, through an export pipeline.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export one resource type of a dataset to a JSON, CSV or NDJSON file.",
        discussion: """
            Examples:
              ferry export --type skus --output skus.json.gz
              ferry export --type skus --format csv --include prices.price_tiers,stock_items --output skus.csv.gz
              ferry export --type prices --where sku_code_start=SKU-00 --where amount_cents_gt=1000 --dry-data --output -
            The output is gzip-compressed when its name ends in .gz; '-' writes to standard output.
            In CSV, a has-one include becomes rel.attr columns (shipping_category.name) and a has-many
            include one cell holding a JSON array (prices: [{"amount_cents":13010},…]).
            A file in a folder that does not exist is refused unless --mkdir.
            The file is written as <output>.partial and renamed onto the output only when complete,
            with a checkpoint beside it (<output>.checkpoint): an export that was killed or failed
            continues with the same command and --resume, and gives the same file.
            """
    )

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: RemoteOptions
    @OptionGroup var files: OutputFileOptions

    @Option(name: .customLong("type"), help: "The resource type to export (skus, prices, orders, …).")
    var resourceType: String

    @Option(name: .customLong("mode"), help: "The dataset to read (default: test; with --server, the token's).")
    var givenMode: DatasetMode?

    /// The dataset read: `--mode`, else test.
    var mode: DatasetMode { givenMode ?? .test }

    @Option(help: "json, csv, ndjson or xml (default: from the output name, else json).")
    var format: String?

    @Option(help: ArgumentHelp("Related resources to nest, comma-separated dotted paths.", valueName: "paths"))
    var include: String?

    @Option(help: ArgumentHelp("Fields to write (code,name,prices.*).", valueName: "fields"))
    var fields: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("A filter predicate, attribute_predicate=value, or a bare switch such as do_not_ship_true (=true) (repeatable).", valueName: "predicate"))
    var predicates: [String] = []

    @Flag(help: "Write dry data: importable elsewhere (no ids, natural keys for relations).")
    var dryData = false

    @Option(help: ArgumentHelp("Only what this market (by code) may see.", valueName: "code"))
    var market: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The output file, or - for standard output.", valueName: "file"))
    var output: String

    @Option(help: "Records per batch.")
    var batchSize: Int = Pipeline.defaultBatchSize

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    @Flag(help: "Continue an export that was killed or failed, from <output>.checkpoint.")
    var resume = false

    /// One `--where` as a filter entry: `attribute_predicate=value`, or a bare switch predicate
    /// (`do_not_ship_true`, `description_null`) meaning `=true`; a bare predicate that needs a
    /// value is refused here, before anything runs.
    static func filterEntry(_ text: String, type typeName: String) throws -> JSONMember {
        guard let type = ResourceCatalog.commerce[typeName] else {
            // An unknown type is reported by the export itself; a bare key is taken as a switch.
            guard let eq = text.firstIndex(of: "=") else { return JSONMember(text, .bool(true)) }
            return JSONMember(String(text[..<eq]), .string(String(text[text.index(after: eq)...])))
        }
        do {
            let entry = try Filter.commandLineEntry(text, for: type, in: .commerce)
            return JSONMember(entry.key, entry.value)
        } catch {
            throw ValidationError("--where \(text): \(error)")
        }
    }

    func validate() throws {
        try ResourceTypeCheck.check(resourceType)
        if resume && output == "-" { throw ValidationError("--resume needs an output file: an export to standard output cannot be resumed") }
        if resume && remote.server != nil { throw ValidationError("--resume continues a local export; a server's export resumes on the server") }
    }

    /// The format an output name says (`.xml.gz` → xml), else the built-in detection.
    static func formatName(forPath path: String) -> String {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        return name.hasSuffix(".xml") ? "xml" : BuiltinStages.format(forPath: path).rawValue
    }

    func run() async throws {
        // Before the dataset is opened or a server asked for anything: an export that cannot be
        // written should fail at once, not after the whole export ran.
        try files.prepare(output)
        var filters: [JSONMember] = []
        for predicate in predicates {
            filters.append(try Self.filterEntry(predicate, type: resourceType))
        }
        func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        }
        let formatName = format ?? Self.formatName(forPath: output)
        guard formatName == "xml" || OutputFormat(rawValue: formatName) != nil else {
            throw ValidationError("--format must be json, csv, ndjson or xml, not '\(formatName)'")
        }
        var plan = ExportPlan(
            resourceType: resourceType, mode: mode, format: OutputFormat(rawValue: formatName) ?? .json,
            includes: list(include), fields: list(fields), filters: filters.isEmpty ? nil : .object(filters), dryData: dryData,
            markets: market.map { [$0] } ?? [], output: output, batchSize: batchSize)
        if formatName == "xml" { plan.sinkType = "xml" }
        if let client = try remote.client(mode: givenMode) {
            try await RemoteOptions.using(client) { try await runRemotely(plan, client: $0) }
            return
        }
        // An export only reads: its datasets open read-only, so it works in a read-only data directory.
        try data.requireDataset(mode)
        let registry = try Stages.registry(data.environment(access: .readOnly))
        let pipeline: Pipeline
        do {
            pipeline = try registry.build(plan.definition(catalog: .commerce), catalog: .commerce)
        } catch {
            throw CommandFailure(error)
        }
        guard output != "-" else {
            _ = try await PipelineCommandRunner.run(pipeline, label: "exporting \(resourceType)", quiet: true)
            return
        }
        try await runToFile(pipeline)
    }

    /// Every argument that shapes the output's bytes, which a resume must repeat.
    var checkpointArguments: [String: String] {
        [
            "data-dir": data.directory.url.path, "type": resourceType, "mode": mode.rawValue, "format": format ?? "",
            "include": include ?? "", "fields": fields ?? "", "where": predicates.joined(separator: "\n"),
            "dry-data": String(dryData), "market": market ?? "", "batch-size": String(batchSize),
        ]
    }

    /// Runs the export to its file, keeping the checkpoint beside it: from the checkpoint with
    /// `--resume`, and removed once the output is complete.
    func runToFile(_ pipeline: Pipeline) async throws {
        let checkpointFile = ExportCheckpointFile(output: output, export: checkpointArguments)
        var checkpoint: Checkpoint?
        if resume {
            do {
                checkpoint = try checkpointFile.load()
            } catch {
                throw CommandFailure(error)
            }
            let note = checkpoint.map { "resuming at record \($0.recordsOut) from \(checkpointFile.path)" }
                ?? "no checkpoint at \(checkpointFile.path): exporting from the start"
            FileHandle.standardError.write(Data((note + "\n").utf8))
        } else {
            checkpointFile.remove()
        }
        do {
            _ = try await PipelineCommandRunner.run(pipeline, label: "exporting \(resourceType)", quiet: quiet, from: checkpoint) {
                try checkpointFile.save($0)
            }
        } catch {
            guard checkpointFile.exists, let partial = FileSink.Destination(path: output).partialPath,
                  FileManager.default.fileExists(atPath: partial)
            else { throw CommandFailure(error) }
            throw CommandFailure(message: "\(error)\nthe export so far is kept in \(partial): run the same command with --resume to continue it")
        }
        checkpointFile.remove()
    }

    /// The export as an `/api/exports` job on a server: create, follow, download.
    func runRemotely(_ plan: ExportPlan, client: FerryClient) async throws {
        guard plan.markets.isEmpty else {
            throw ValidationError("--market is not sent to a server: use a sales_channel token and its market scope (jwt_filters)")
        }
        var attributes: [JSONMember] = [
            JSONMember("resource_type", .string(plan.resourceType)), JSONMember("format", .string(plan.sinkType ?? plan.format.rawValue)),
            JSONMember("dry_data", .bool(plan.dryData)),
        ]
        if !plan.includes.isEmpty { attributes.append(JSONMember("includes", .array(plan.includes.map(JSONValue.string)))) }
        if !plan.fields.isEmpty { attributes.append(JSONMember("fields", .array(plan.fields.map(JSONValue.string)))) }
        if let filters = plan.filters { attributes.append(JSONMember("filters", filters)) }
        let start = Date()
        do {
            let created = try await client.createExport(attributes)
            let done = try await RemoteOptions.follow(created, with: client, label: "exporting \(plan.resourceType)", quiet: quiet || output == "-")
            guard done.status == .completed else {
                throw CommandFailure(message: "export \(done.id) \(done.status.rawValue): \(done.attribute("errors_log")?.jsonText ?? "")")
            }
            let bytes = try await client.download(done, to: output)
            FileHandle.standardError.write(Data(String(format: "export %@ on %@: %d records in %.2fs → %@ (%.1f MB)\n", done.id, client.server, done.processed,
                                                       Date().timeIntervalSince(start), output, Double(bytes) / 1_000_000).utf8))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(error)
        }
    }
}
