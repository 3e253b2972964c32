import ArgumentParser
import FerryCore
import FerryJobs
import FerryStages
import Foundation

/// `ferry run`: runs one pipeline file, recording the run in the run log (`ferry runs`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a pipeline file (recorded in 'ferry runs').")

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "The pipeline file (YAML).")
    var file: String

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    func run() async throws {
        let content: PipelineFile.Content
        do {
            content = try PipelineFile.loadContent(file, catalog: .commerce)
        } catch {
            throw CommandFailure(error)
        }
        // A pipeline reads and writes datasets that exist; a duplication may create its target.
        let environment: StageEnvironment
        if case .duplication(let duplication) = content {
            try data.requireDataset(duplication.from)
            environment = data.environment(creating: true)
        } else {
            try data.requireAnyDataset()
            environment = data.environment()
        }
        let registry = try Stages.registry(environment)
        do {
            if case .pipeline(let definition) = content { _ = try registry.build(definition, catalog: .commerce) }
        } catch {
            throw CommandFailure(error)
        }
        let log = PipelineRunLog(dataset: try environment.dataset(ScheduledPipeline.logMode(of: content)))
        let id = try log.start(pipeline: content.name, file: file, trigger: .manual, scheduledAt: nil, at: Date())
        let observer = TerminalObserver(label: content.name, quiet: quiet)
        let start = Date()
        let outcome: PipelineRunOutcome
        do {
            outcome = try await PipelineRunOutcome.run(content, registry: registry, environment: environment, observer: observer)
            await observer.finish()
        } catch {
            await observer.finish()
            try log.finish(id, status: .failed, at: Date(), recordsIn: nil, recordsOut: nil, counters: [:], error: String(describing: error))
            throw CommandFailure(error)
        }
        try log.finish(id, status: outcome.failure == nil ? .completed : .failed, at: Date(), recordsIn: outcome.recordsIn,
                       recordsOut: outcome.recordsOut, counters: outcome.counters, error: outcome.failure)
        let counters = outcome.counters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(String(format: "%@: %d records in, %d out in %.2fs%@ (run %@)%@", content.name, outcome.recordsIn, outcome.recordsOut,
                     Date().timeIntervalSince(start), counters.isEmpty ? "" : "; \(counters)", id, outcome.failure.map { "; \($0)" } ?? ""))
        if outcome.failure != nil { throw ExitCode(1) }
    }
}

/// `ferry stages`: lists the registry.
struct StagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stages", abstract: "List the stages a pipeline can use, with their options.")

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "Show only this stage.")
    var name: String?

    func run() async throws {
        let registry = try Stages.registry(data)
        let descriptors = registry.all.filter { name == nil || $0.name == name }
        guard !descriptors.isEmpty else { throw ValidationError("no stage named '\(name ?? "")'; run 'ferry stages' for the list") }
        for descriptor in descriptors {
            print("\(descriptor.name) (\(descriptor.kind.rawValue)): \(descriptor.summary)")
            for option in descriptor.options {
                let flags = option.isRequired ? "required" : (option.defaultValue.map { "default: \($0)" } ?? "optional")
                print("    \(option.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(option.type.rawValue), \(flags) — \(option.help)")
            }
        }
    }
}
