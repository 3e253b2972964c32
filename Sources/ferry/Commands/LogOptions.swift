import ArgumentParser
import Logging

/// How a long-running command (`serve`, `schedule`) logs: its level, and text lines or JSON objects.
struct LogOptions: ParsableArguments {
    /// The shapes of a log line.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// `2026-11-30T03:29:00Z info ferry.jobs : job_id=… mode=test [FerryJobs] job completed`.
        case text
        /// One JSON object a line (see ``StandardErrorLogHandler``).
        case json
    }

    @Option(help: "trace, debug, info, notice, warning or error.")
    var logLevel = "info"

    @Option(help: "text (one readable line an event) or json (one JSON object a line, for a log pipeline).")
    var logFormat: Format = .text

    /// Makes the chosen handler the process's (once, before any logger is made).
    func bootstrap() throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level must be trace, debug, info, notice, warning or error") }
        let format = logFormat
        LoggingSystem.bootstrap { StandardErrorLogHandler(label: $0, level: level, format: format) }
    }
}
