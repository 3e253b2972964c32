import ArgumentParser
import FerryCore
import FerryJobs
import FerryStages
import Foundation
import Logging
import ServiceLifecycle

/// Where scheduled pipeline files are read from; shared by `ferry schedule` and `ferry serve`.
struct ScheduleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The folder of pipeline files whose 'schedule' is run.", valueName: "path"))
    var pipelines = "pipelines"

    /// The scheduled pipelines of the folder (none when it does not exist).
    func load() throws -> [ScheduledPipeline] {
        guard FileManager.default.fileExists(atPath: pipelines) else { return [] }
        do {
            return try ScheduledPipeline.loadAll(in: pipelines)
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// `ferry schedule`: the scheduler in the foreground.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run the pipelines of a folder on their cron schedules, in the foreground.",
        discussion: """
            A pipeline whose previous run is still going when it is due again is skipped (logged and \
            recorded). Every run is recorded: 'ferry runs' lists them. With 'catch_up: true', a run missed \
            while no scheduler was running is run once at start. 'ferry serve' runs the same scheduler.
            """
    )

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var schedule: ScheduleOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try log.bootstrap()
        let pipelines = try schedule.load()
        guard !pipelines.isEmpty else { throw ValidationError("no pipeline under \(schedule.pipelines) has a 'schedule'") }
        try data.requireAnyDataset()
        let environment = StageEnvironment(directory: data.directory)
        let scheduler = PipelineScheduler(pipelines: pipelines, environment: environment, registry: try Stages.registry(environment))
        let group = ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "ferry")))
        try await group.run()
    }
}

/// `ferry runs`: the run log.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recent pipeline runs (scheduled, caught up, manual, skipped).")

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The dataset whose run log to read.")
    var mode: DatasetMode = .test

    @Option(help: "Only this pipeline's runs.")
    var pipeline: String?

    @Option(help: "How many runs to list.")
    var limit = 20

    func run() async throws {
        let runs = try PipelineRunLog(dataset: data.open(mode, access: .readOnly)).recent(pipeline: pipeline, limit: limit)
        func text(_ value: Value?) -> String {
            switch value {
            case .string(let s)?: return s
            case .timestamp(let t)?: return String(t.iso8601.prefix(19)).replacingOccurrences(of: "T", with: " ")
            case .int(let n)?: return String(n)
            default: return ""
            }
        }
        print(TextTable(headers: ["id", "pipeline", "trigger", "status", "scheduled", "started", "completed", "in", "out", "error"], rows: runs.map { run in
            [text(run["id"]), text(run["pipeline"]), text(run["trigger"]), text(run["status"]), text(run["scheduled_at"]), text(run["started_at"]),
             text(run["completed_at"]), text(run["records_in"]), text(run["records_out"]), String(text(run["error"]).prefix(60))]
        }).render())
        if runs.isEmpty { print("no runs recorded in the \(mode.rawValue) dataset") }
    }
}
