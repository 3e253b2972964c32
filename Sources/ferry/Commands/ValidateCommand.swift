import ArgumentParser
import FerryCore
import FerryStages
import FerryStore
import Foundation
import Yams

/// `ferry validate`: checks pipeline files against the registry, reporting every error of a
/// file (each unknown key, stage and option, with the nearest valid name), not just the first.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files against the stage registry (exit 78 when one is invalid).",
        discussion: "With no file, every *.yml and *.yaml file under ./pipelines is checked. Every error of a file is reported, with the nearest valid stage, key or option."
    )

    @OptionGroup var data: DataDirectoryOptions

    @Flag(help: "Print one JSON document on standard output: {valid, files: [{path, name, valid, errors}]}.")
    var json = false

    @Argument(help: "Pipeline files to check.")
    var files: [String] = []

    /// The top-level keys of a pipeline file.
    static let topLevelKeys = ["name", "schedule", "source", "filters", "transforms", "sink", "batch_size", "catch_up", "timezone", "description", "duplicate"]

    func run() async throws {
        let registry = try Stages.registry(data.environment())
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
        var reports: [JSONValue] = []
        var invalid = 0
        for path in paths {
            let (name, errors) = Self.check(path, registry: registry)
            if !errors.isEmpty { invalid += 1 }
            reports.append(.object([
                JSONMember("path", .string(path)), JSONMember("name", name.map(JSONValue.string) ?? .null),
                JSONMember("valid", .bool(errors.isEmpty)), JSONMember("errors", .array(errors.map(JSONValue.string))),
            ]))
            guard !json else { continue }
            if errors.isEmpty {
                print("\(Style.ok("✓")) \(path) (\(name ?? ""))")
            } else {
                print("\(Style.failed("✗")) \(path): \(errors.count) error\(errors.count == 1 ? "" : "s")")
                for error in errors { print("    \(error)") }
            }
        }
        if json {
            print(JSONValue.object([JSONMember("valid", .bool(invalid == 0)), JSONMember("files", .array(reports))]).jsonText)
        }
        if invalid > 0 { throw ExitCode(78) }
    }

    /// A file's pipeline name and every error found in it.
    static func check(_ path: String, registry: StageRegistry) -> (name: String?, errors: [String]) {
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
            return (nil, ["\(path): cannot open the file: \(CommandFailure.reason(opening: path))"])
        }
        var errors: [String] = []
        // Unknown top-level keys, each with the nearest valid one; their lines are then blanked
        // (so that the rest is still checked, at the same line numbers).
        if let node = try? Yams.compose(yaml: text), case .mapping(let mapping) = node {
            var lines = text.components(separatedBy: "\n")
            let starts = mapping.keys.compactMap { $0.mark?.line }.sorted()
            for key in mapping.keys {
                guard let name = key.string, !topLevelKeys.contains(name), let line = key.mark?.line else { continue }
                errors.append("\(path):\(line): \(name): unknown key\(Suggestion.phrase(for: name, in: topLevelKeys))")
                let end = starts.first { $0 > line } ?? lines.count + 1
                for index in (line - 1)..<min(end - 1, lines.count) { lines[index] = "#" }
            }
            text = lines.joined(separator: "\n")
        }
        let content: PipelineFile.Content
        do {
            if text.contains("\nduplicate:") || text.hasPrefix("duplicate:") {
                content = try PipelineFile.loadContent(path, catalog: .commerce)
            } else {
                content = .pipeline(try PipelineFile.parse(text, file: path))
            }
        } catch {
            return (nil, errors.isEmpty || !"\(error)".contains("unknown key") ? errors + [CommandFailure.plain(error)] : errors)
        }
        guard case .pipeline(let definition) = content else { return (content.name, errors) }
        var context = StageBuildContext(catalog: .commerce, pipelineName: definition.name)
        let sourceBuilt = check(definition.source, .source, registry, &context, into: &errors)
        for spec in definition.filters { _ = check(spec, .filter, registry, &context, into: &errors, sourceBuilt: sourceBuilt) }
        for spec in definition.transforms { _ = check(spec, .transform, registry, &context, into: &errors, sourceBuilt: sourceBuilt) }
        _ = check(definition.sink, .sink, registry, &context, into: &errors, sourceBuilt: sourceBuilt)
        return (definition.name, errors)
    }

    /// Checks one stage: its type, each of its option keys, then everything its factory checks.
    /// Whether it built.
    static func check(_ spec: StageSpec, _ kind: StageKind, _ registry: StageRegistry, _ context: inout StageBuildContext,
                      into errors: inout [String], sourceBuilt: Bool = true) -> Bool {
        guard let descriptor = registry.descriptor(named: spec.type, kind: kind) else {
            let names = registry.all.filter { $0.kind == kind }.map(\.name)
            if let other = registry.all.first(where: { $0.name == spec.type }) {
                errors.append("\(spec.location): '\(spec.type)' is a \(other.kind.rawValue) stage, not a \(kind.rawValue)")
            } else {
                errors.append("\(spec.location): unknown \(kind.rawValue) stage '\(spec.type)'\(Suggestion.phrase(for: spec.type, in: names)); valid: \(names.joined(separator: ", "))")
            }
            return false
        }
        let declared = descriptor.options.map(\.name)
        var unknown = false
        if case .object(let members) = spec.options {
            for member in members where member.key != "type" && !declared.contains(member.key) {
                unknown = true
                let line = spec.lines[member.key].map { " (line \($0))" } ?? ""
                errors.append("\(spec.location).\(member.key)\(line): unknown option '\(member.key)'\(Suggestion.phrase(for: member.key, in: declared)); valid options: \(declared.joined(separator: ", "))")
            }
        }
        guard !unknown else { return false }
        do {
            let stage = try registry.build(spec, expecting: kind, context: context)
            if case .source(let source) = stage { context.resourceType = source.resourceType }
            return true
        } catch let error as DatasetAccessError {
            // Whether the data directory holds the dataset is the run's concern, not the file's.
            if case .missing = error {
                if kind == .source, case .string(let name)? = spec.options["resource_type"] { context.resourceType = ResourceCatalog.commerce[name] }
                return true
            }
            errors.append(CommandFailure.plain(error))
            return false
        } catch {
            // A stage that needs the source's resource type cannot be checked when the source is wrong.
            if !sourceBuilt && "\(error)".contains("needs a source") { return false }
            errors.append(CommandFailure.plain(error))
            return false
        }
    }
}
