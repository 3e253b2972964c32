import ArgumentParser
import FerryCore
import FerryStages
import Foundation

/// `ferry run`: runs one pipeline file.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a pipeline file.")

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "The pipeline file (YAML).")
    var file: String

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    func run() async throws {
        let registry = try Stages.registry(data)
        let pipeline: Pipeline
        do {
            switch try PipelineFile.loadContent(file, catalog: .commerce) {
            case .pipeline(let definition):
                pipeline = try registry.build(definition, catalog: .commerce)
            case .duplication(let definition):
                let results = try await definition.duplicator(environment: StageEnvironment(directory: data.directory)).run(types: definition.types)
                let failed = results.filter { !$0.verified || $0.report.errors > 0 }
                print("\(definition.name): \(results.count) types, \(results.reduce(0) { $0 + $1.report.created }) created, \(results.reduce(0) { $0 + $1.report.updated }) updated, "
                      + (failed.isEmpty ? "verified" : "\(failed.count) did not verify: \(failed.map(\.type).joined(separator: ", "))"))
                if !failed.isEmpty { throw ExitCode(1) }
                return
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CommandFailure(error)
        }
        _ = try await PipelineCommandRunner.run(pipeline, label: pipeline.name, quiet: quiet)
    }
}

/// `ferry validate`: checks pipeline files against the registry.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files against the stage registry (exit 78 when one is invalid).",
        discussion: "With no file, every *.yml and *.yaml file under ./pipelines is checked."
    )

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "Pipeline files to check.")
    var files: [String] = []

    func run() async throws {
        let registry = try Stages.registry(data)
        var paths = files
        if paths.isEmpty {
            let root = URL(fileURLWithPath: "pipelines")
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard ["yml", "yaml"].contains(url.pathExtension) else { continue }
                paths.append("pipelines/" + url.standardizedFileURL.path.replacingOccurrences(of: root.standardizedFileURL.path + "/", with: ""))
            }
            paths.sort()
        }
        var invalid = 0
        for path in paths {
            do {
                let content = try PipelineFile.loadContent(path, catalog: .commerce)
                if case .pipeline(let definition) = content { _ = try registry.build(definition, catalog: .commerce) }
                print("✓ \(path) (\(content.name))")
            } catch {
                invalid += 1
                print("✗ \(error)")
            }
        }
        if invalid > 0 { throw ExitCode(78) }
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
