import FerryCore
import Foundation

/// Shows a pipeline run's progress on the terminal: records, rate and ETA; hands each checkpoint
/// to `saveCheckpoint` when given (`ferry export` keeps it beside its output).
actor TerminalObserver: PipelineObserver {
    private let display: ProgressDisplay
    private let label: String
    private let saveCheckpoint: (@Sendable (Checkpoint) throws -> Void)?

    init(label: String, quiet: Bool, saveCheckpoint: (@Sendable (Checkpoint) throws -> Void)? = nil) {
        self.label = label
        self.saveCheckpoint = saveCheckpoint
        display = ProgressDisplay(quiet: quiet)
    }

    func progress(_ progress: PipelineProgress) async {
        display.update(label, completed: progress.recordsIn, total: progress.estimatedTotal ?? progress.recordsIn)
    }

    func checkpoint(_ checkpoint: Checkpoint) async throws {
        try saveCheckpoint?(checkpoint)
    }

    func finish() {
        display.finish()
    }
}

/// Runs a built pipeline with terminal progress and prints the one-line summary.
enum PipelineCommandRunner {
    /// Runs `pipeline`, from `checkpoint` when given, handing every new checkpoint to `saveCheckpoint`.
    static func run(_ pipeline: Pipeline, label: String, quiet: Bool, from checkpoint: Checkpoint? = nil,
                    saveCheckpoint: (@Sendable (Checkpoint) throws -> Void)? = nil) async throws -> PipelineResult {
        let observer = TerminalObserver(label: label, quiet: quiet, saveCheckpoint: saveCheckpoint)
        let result: PipelineResult
        do {
            result = try await PipelineRunner().run(pipeline, from: checkpoint, observer: observer)
        } catch {
            await observer.finish()
            throw error
        }
        await observer.finish()
        let rate = Double(result.recordsIn) / max(result.elapsed, 0.001)
        var line = String(format: "%@: %d records in, %d out in %.2fs (%.0f records/s)", pipeline.name, result.recordsIn, result.recordsOut, result.elapsed, rate)
        if let destination = result.sink.destination, destination != "stdout" {
            line += " → \(destination)"
            if let bytes = result.sink.bytesWritten { line += String(format: " (%.1f MB)", Double(bytes) / 1_000_000) }
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
        return result
    }
}
