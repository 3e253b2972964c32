import ArgumentParser
import FerryAPI
import FerryCore
import FerryStages
import FerryStore
import Foundation
import XMLFormat

/// `ferry import`: upserts a file's records into a dataset through an import pipeline.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a JSON, CSV or NDJSON file (gzip or plain) into a dataset.",
        discussion: """
            Each record is upserted: matched by id when it exists, else by its natural key, created \
            otherwise. Relationships may be given as <rel>_id, <rel>_<natural key> (sku_code) or nested. \
            Exits non-zero when any record was refused; --errors-log writes the whole log as JSON.
            """
    )

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: RemoteOptions
    @OptionGroup var files: OutputFileOptions

    @Option(name: .customLong("type"), help: "The resource type of the records.")
    var resourceType: String?

    @Option(name: .customLong("mode"), help: "The dataset written (default: test; with --server, the token's).")
    var givenMode: DatasetMode?

    /// The dataset written: `--mode`, else test.
    var mode: DatasetMode { givenMode ?? .test }

    @Option(help: "json, csv, ndjson or xml (default: from the file name).")
    var format: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to import.", valueName: "file"))
    var input: String?

    @Option(help: ArgumentHelp("Replay an archive written by 'ferry duplicate --to-file' (every type it holds), then verify it.", valueName: "file"))
    var archive: String?

    @Option(help: ArgumentHelp("An id set on every record's first belongs-to relationship.", valueName: "id"))
    var parent: String?

    @Flag(help: "Go on past 10% refused records.")
    var skipErrors = false

    @Flag(help: "Delete the records of the type (within the parent) that the file does not name.")
    var cleanup = false

    @Option(help: ArgumentHelp("Write the errors log as JSON to this file.", valueName: "file"))
    var errorsLog: String?

    @Option(help: "Records per batch (one transaction each).")
    var batchSize: Int = Pipeline.defaultBatchSize

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard (archive == nil) != (input == nil) else { throw ValidationError("give either --input (with --type) or --archive") }
        guard archive != nil || resourceType != nil else { throw ValidationError("--input needs --type") }
        if let resourceType { try ResourceTypeCheck.check(resourceType) }
    }

    func run() async throws {
        // The errors log is checked before anything is imported: not after the whole import ran.
        try files.prepare(errorsLog)
        try OutputFileOptions.checkReadable(input ?? archive)
        let environment = data.environment(creating: true)
        if let archive {
            data.noteCreation(of: mode)
            let start = Date()
            let results: [DatasetArchive.SectionResult]
            do {
                results = try await DatasetArchive.replay(archive, into: mode, environment: environment)
            } catch {
                throw CommandFailure(error)
            }
            print(TextTable(headers: ["type", "records", "created", "updated", "unchanged", "errors", "verified"], rows: results.map {
                [$0.type, String($0.expected.count), String($0.report.created), String($0.report.updated), String($0.report.unchanged),
                 String($0.report.errors), $0.verified ? "✓" : "✗"]
            }).render())
            let failed = results.filter { !$0.verified || $0.report.errors > 0 }
            print(String(format: "replayed %d types into %@ in %.1fs: %@", results.count, mode.rawValue, Date().timeIntervalSince(start),
                         failed.isEmpty ? "verified" : "\(failed.count) types did not verify"))
            if !failed.isEmpty { throw ExitCode(1) }
            return
        }
        guard let resourceType, let input else { return }
        if let client = try remote.client(mode: givenMode) {
            try await RemoteOptions.using(client) { try await runRemotely(resourceType: resourceType, input: input, client: $0) }
            return
        }
        let sink: DatasetSink
        let pipeline: Pipeline
        do {
            let type = try ResourceCatalog.commerce.type(named: resourceType)
            data.noteCreation(of: mode)
            sink = DatasetSink(dataset: try environment.dataset(mode), type: type, options: .init(parentID: parent, skipErrors: skipErrors, cleanup: cleanup))
            let formatName = format ?? ExportCommand.formatName(forPath: input)
            let source: any SourceStage
            if formatName == "xml" {
                source = XMLFileSource(path: input, resourceType: type)
            } else if let builtIn = OutputFormat(rawValue: formatName) {
                source = FileSource(path: input, format: builtIn, resourceType: type, catalog: .commerce, marksFaultyInputs: true)
            } else {
                throw ValidationError("--format must be json, csv, ndjson or xml, not '\(formatName)'")
            }
            pipeline = Pipeline(name: "import-\(type.name)", source: source, sink: sink, batchSize: batchSize)
        } catch {
            throw CommandFailure(error)
        }
        var failure: (any Error)?
        do {
            _ = try await PipelineCommandRunner.run(pipeline, label: "importing \(resourceType)", quiet: quiet)
        } catch {
            failure = error
        }
        let report = await sink.report
        print("created \(report.created), updated \(report.updated), unchanged \(report.unchanged), errors \(report.errors), destroyed \(report.destroyed)")
        for entry in report.errorsLog.prefix(10) {
            print("  \(entry.key): " + entry.attributes.map { "\($0.attribute) \($0.messages.joined(separator: "; "))" }.joined(separator: ", "))
        }
        if report.errorsLog.count > 10 { print("  … \(report.errorsLog.count - 10) more") }
        if let errorsLog {
            try OutputFileOptions.write(Data(report.errorsLogJSON.jsonText.utf8), to: errorsLog, what: "the errors log")
        }
        if case .truncatedCompression(let offset)? = failure as? FormatError {
            // The records of the batches before the cut are in the dataset; the rest never arrived.
            let imported = report.created + report.updated + report.unchanged
            throw CommandFailure(message: "\(input) is truncated: its gzip data ends at byte \(offset), inside a compressed member; "
                + "the \(imported) records before the cut were imported (\(report.errors) refused), the rest of the file is missing")
        }
        if let failure { throw CommandFailure(failure) }
        if report.errors > 0 { throw ExitCode(1) }
    }

    /// The import as an `/api/imports` job on a server: upload the file, follow, report.
    func runRemotely(resourceType: String, input: String, client: FerryClient) async throws {
        var fields: [(String, String)] = [("resource_type", resourceType), ("format", format ?? ExportCommand.formatName(forPath: input))]
        if let parent { fields.append(("parent_resource_id", parent)) }
        if skipErrors { fields.append(("skip_errors", "true")) }
        if cleanup { fields.append(("cleanup_records", "true")) }
        let done: FerryClient.Job
        do {
            let created = try await client.createImport(file: input, fields: fields)
            done = try await RemoteOptions.follow(created, with: client, label: "importing \(resourceType)", quiet: quiet)
        } catch {
            throw CommandFailure(error)
        }
        func count(_ name: String) -> Int { done.attribute(name).flatMap(FerryClient.Job.number).map(Int.init) ?? 0 }
        print("import \(done.id) on \(client.server): \(done.status.rawValue); processed \(count("processed_count")), errors \(count("errors_count")), warnings \(count("warnings_count")), destroyed \(count("destroyed_count"))")
        let log = done.attribute("errors_log")?.objectMembers ?? []
        for entry in log.prefix(10) { print("  \(entry.key): \(entry.value.jsonText)") }
        if log.count > 10 { print("  … \(log.count - 10) more") }
        if let errorsLog {
            try OutputFileOptions.write(Data((done.attribute("errors_log") ?? .object([])).jsonText.utf8), to: errorsLog, what: "the errors log")
        }
        if done.status == .failed { throw CommandFailure(message: "import \(done.id) failed: \(done.attribute("errors_log")?.jsonText ?? "")") }
        if count("errors_count") > 0 || done.status != .completed { throw ExitCode(1) }
    }
}
