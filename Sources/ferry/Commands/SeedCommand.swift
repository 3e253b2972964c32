import ArgumentParser
import FerryCore
import FerryStore
import Foundation

/// `ferry seed`: fills a dataset with a deterministic, realistic catalog.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill a dataset with a realistic, deterministic commerce catalog.",
        discussion: """
            Every resource type gets records and every relationship is populated. The same --seed \
            always produces the same dataset, ids included. Customers and orders scale as skus / 10.
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The dataset to fill.")
    var mode: DatasetMode = .test

    @Option(help: "How many SKUs to create (each with 3 prices, 2 price tiers and 2 stock items).")
    var skus: Int = 1000

    @Option(help: "The seed of every pseudo-random choice, ids included.")
    var seed: UInt64 = 1

    @Flag(help: "Delete the dataset first if it already holds records.")
    var replace = false

    @Flag(name: .shortAndLong, help: "Print only the summary.")
    var quiet = false

    func validate() throws {
        guard skus >= 1 else { throw ValidationError("--skus must be at least 1") }
    }

    func run() async throws {
        let url = data.directory.databaseURL(for: mode)
        if replace { try DatasetFiles.remove(at: url) }
        let dataset = try data.open(mode, creating: true)
        let display = ProgressDisplay(quiet: quiet)
        let start = Date()
        var stepStart = Date()
        var currentStep = ""
        try DatasetSeeder(dataset: dataset, options: .init(skus: skus, seed: seed)).run { progress in
            if progress.step != currentStep {
                currentStep = progress.step
                stepStart = Date()
            }
            display.update("seeding \(progress.step)", completed: progress.completed, total: progress.total, rateSince: stepStart)
        }
        display.finish()
        let elapsed = Date().timeIntervalSince(start)
        let counts = try dataset.recordCounts()
        let joins = try dataset.joinTableCounts()
        let rows = counts.map { [$0.type, String($0.count)] } + joins.map { [$0.table, String($0.count)] }
        print(TextTable(headers: ["table", "rows"], rows: rows).render())
        let total = counts.reduce(0) { $0 + $1.count } + joins.reduce(0) { $0 + $1.count }
        print(String(format: "seeded the %@ dataset (%@) with %d rows in %.1fs", mode.rawValue, url.path, total, elapsed))
    }
}

/// `ferry counts`: how many records each type of a dataset holds.
struct CountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counts", abstract: "Print how many records each resource type of a dataset holds.")

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The dataset to count.")
    var mode: DatasetMode = .test

    func run() async throws {
        let dataset = try data.open(mode, access: .readOnly)
        let rows = try dataset.recordCounts().map { [$0.type, String($0.count)] }
        print(TextTable(headers: ["type", "records"], rows: rows).render())
    }
}
