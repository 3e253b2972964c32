import ArgumentParser

/// The `ferry` command: exports, imports, duplicates and pipelines over commerce datasets.
@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Move commerce datasets in batches: seed, export, import, duplicate test ↔ live.",
        discussion: """
            Each installation keeps two datasets, one per mode (test and live), as SQLite files in a data \
            directory: --data-dir, else $FERRY_DATA_DIR, else ./.ferry.
            """,
        version: "0.1.0",
        subcommands: [SeedCommand.self, ExportCommand.self, ImportCommand.self, DuplicateCommand.self, RunCommand.self, ValidateCommand.self, StagesCommand.self, CountsCommand.self, ServeCommand.self, TokenCommand.self, ScheduleCommand.self, RunsCommand.self, JobsCommand.self]
    )
}
