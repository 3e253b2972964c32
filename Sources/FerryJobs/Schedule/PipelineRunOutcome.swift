import FerryCore
import FerryStages

/// What one run of a pipeline file did, in the terms the run log records.
public struct PipelineRunOutcome: Sendable {
    /// Records read.
    public var recordsIn: Int
    /// Records written.
    public var recordsOut: Int
    /// The sink's counters (created, updated, errors, …).
    public var counters: [String: Int]
    /// Why the run counts as failed even though it ran to the end (a duplication that did not verify).
    public var failure: String?

    /// Runs a pipeline file's content through the registry and the runner (or the duplicator).
    public static func run(_ content: PipelineFile.Content, registry: StageRegistry, environment: StageEnvironment, observer: some PipelineObserver = SilentObserver()) async throws -> PipelineRunOutcome {
        switch content {
        case .pipeline(let definition):
            let result = try await PipelineRunner().run(try registry.build(definition, catalog: environment.catalog), observer: observer)
            return PipelineRunOutcome(recordsIn: result.recordsIn, recordsOut: result.recordsOut, counters: result.sink.counters, failure: nil)
        case .duplication(let definition):
            let results = try await definition.duplicator(environment: environment).run(types: definition.types)
            let failed = results.filter { !$0.verified || $0.report.errors > 0 }.map(\.type)
            return PipelineRunOutcome(
                recordsIn: results.reduce(0) { $0 + $1.sourceCount },
                recordsOut: results.reduce(0) { $0 + $1.report.processed },
                counters: [
                    "types": results.count, "created": results.reduce(0) { $0 + $1.report.created },
                    "updated": results.reduce(0) { $0 + $1.report.updated }, "errors": results.reduce(0) { $0 + $1.report.errors },
                ],
                failure: failed.isEmpty ? nil : "did not verify: \(failed.joined(separator: ", "))")
        }
    }
}
