import ArgumentParser
import FerryCore
import FerryStages
import Foundation

/// `ferry duplicate`: copies a whole dataset (or some types and what they need) into the other mode, then verifies it.
struct DuplicateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicate",
        abstract: "Duplicate a dataset into another mode and verify every type.",
        discussion: """
            Each type goes, in dependency order, through a dry-data export → import pipeline; then a \
            dry-data digest of source and target is compared. Re-running changes nothing. Exits non-zero \
            when any type does not verify or any record was refused.
            """
    )

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var files: OutputFileOptions

    @Option(help: "The dataset copied.")
    var from: DatasetMode = .test

    @Option(help: "The dataset written.")
    var to: DatasetMode = .live

    @Option(help: ArgumentHelp("Only these types (comma-separated) and the types they need.", valueName: "types"))
    var types: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Copy only matching records of a type: TYPE:attribute_predicate=value (repeatable).", valueName: "filter"))
    var predicates: [String] = []

    @Flag(help: "Replace personal data (emails, names, phones, streets) with deterministic fakes.")
    var anonymize = false

    @Option(help: "The salt of --anonymize's fakes.")
    var salt = "ferry"

    @Option(help: ArgumentHelp("Write an archive file instead of a dataset; replay it with 'ferry import --archive'.", valueName: "file"))
    var toFile: String?

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    func validate() throws {
        for name in (types ?? "").split(separator: ",") { try ResourceTypeCheck.check(String(name).trimmingSpaces(), option: "--types") }
    }

    func run() async throws {
        var filters: [String: [JSONMember]] = [:]
        for predicate in predicates {
            guard let colon = predicate.firstIndex(of: ":"), colon < (predicate.firstIndex(of: "=") ?? predicate.endIndex) else {
                throw ValidationError("--where takes TYPE:attribute_predicate=value (orders:status_in=placed,approved), not '\(predicate)'")
            }
            let type = String(predicate[..<colon])
            try ResourceTypeCheck.check(type, option: "--where")
            filters[type, default: []].append(try ExportCommand.filterEntry(String(predicate[predicate.index(after: colon)...]), type: type))
        }
        try files.prepare(toFile)
        try data.requireDataset(from)
        if toFile == nil { data.noteCreation(of: to) }
        let duplicator = DatasetDuplicator(
            environment: data.environment(creating: true), from: from, to: to, filters: filters.mapValues { .object($0) },
            anonymizer: anonymize ? AnonymizeTransform(fields: AnonymizeTransform.defaultFields, salt: salt) : nil)
        let display = ProgressDisplayBox(ProgressDisplay(quiet: quiet))
        let start = Date()
        let names = (types ?? "").split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        if let toFile {
            let manifest: [(type: String, digest: DatasetDuplicator.DigestValue)]
            do {
                manifest = try await DatasetArchive.write(duplicator, types: names, to: toFile)
            } catch {
                throw CommandFailure(error)
            }
            print(TextTable(headers: ["type", "records", "digest"], rows: manifest.map { [$0.type, String($0.digest.count), $0.digest.hex] }).render())
            print(String(format: "archived %d records of %d types from %@ into %@ in %.1fs", manifest.reduce(0) { $0 + $1.digest.count }, manifest.count,
                         from.rawValue, toFile, Date().timeIntervalSince(start)))
            return
        }
        let results: [DatasetDuplicator.TypeResult]
        do {
            results = try await duplicator.run(types: names) { progress in
                await display.update("[\(progress.step)/\(progress.steps)] \(progress.type)", completed: progress.records, total: progress.total)
            }
        } catch {
            throw CommandFailure(error)
        }
        await display.finish()
        let rows = results.map { r in
            [r.type, String(r.sourceCount), String(r.report.created), String(r.report.updated), String(r.report.unchanged),
             String(r.report.errors), r.verified ? "✓" : "✗", String(format: "%.2f", r.seconds)]
        }
        print(TextTable(headers: ["type", "source", "created", "updated", "unchanged", "errors", "verified", "seconds"], rows: rows).render())
        let failed = results.filter { !$0.verified || $0.report.errors > 0 }
        let total = results.reduce(0) { $0 + $1.sourceCount }
        print(String(format: "duplicated %d records of %d types from %@ to %@ in %.1fs: %@", total, results.count, from.rawValue, to.rawValue,
                     Date().timeIntervalSince(start), failed.isEmpty ? "verified" : "\(failed.count) types did not verify"))
        for result in failed {
            for entry in result.report.errorsLog.prefix(5) {
                print("  \(result.type) \(entry.key): \(entry.attributes.map { "\($0.attribute) \($0.messages.joined(separator: "; "))" }.joined(separator: ", "))")
            }
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

/// A progress display shared by the progress callbacks of one command.
actor ProgressDisplayBox {
    private let display: ProgressDisplay

    init(_ display: ProgressDisplay) {
        self.display = display
    }

    func update(_ label: String, completed: Int, total: Int) {
        display.update(label, completed: completed, total: total)
    }

    func finish() {
        display.finish()
    }
}
