import Foundation

/// One stage as a pipeline file names it: its registry type and its options.
public struct StageSpec: Sendable {
    /// The registry name.
    public var type: String
    /// The options (the file's mapping, `type` included).
    public var options: JSONValue
    /// Where it stands (`pipelines/x.yml: transforms[1]`).
    public var location: String
    /// Line numbers of its keys, when known.
    public var lines: [String: Int]

    /// Creates a specification.
    public init(type: String, options: JSONValue, location: String, lines: [String: Int] = [:]) {
        self.type = type
        self.options = options
        self.location = location
        self.lines = lines
    }
}

/// A declarative pipeline (SPEC §6): a name, an optional cron schedule, a source, filters,
/// transforms and a sink.
public struct PipelineDefinition: Sendable {
    /// The pipeline's name.
    public var name: String
    /// A cron schedule, for scheduled runs.
    public var schedule: String?
    /// The source.
    public var source: StageSpec
    /// Filters, in order.
    public var filters: [StageSpec]
    /// Transforms, in order.
    public var transforms: [StageSpec]
    /// The sink.
    public var sink: StageSpec
    /// Records per batch.
    public var batchSize: Int

    /// Creates a definition.
    public init(name: String, schedule: String? = nil, source: StageSpec, filters: [StageSpec] = [], transforms: [StageSpec] = [], sink: StageSpec, batchSize: Int = Pipeline.defaultBatchSize) {
        self.name = name
        self.schedule = schedule
        self.source = source
        self.filters = filters
        self.transforms = transforms
        self.sink = sink
        self.batchSize = batchSize
    }

    /// Reads a definition from a parsed document; `lines` maps key paths (`transforms[1].paths`)
    /// to line numbers for error messages.
    public init(document: JSONValue, file: String, lines: [String: Int] = [:]) throws(StageConfigurationError) {
        func at(_ path: String) -> String {
            lines[path].map { "\(file):\($0): \(path)" } ?? "\(file): \(path)"
        }
        guard case .object(let members) = document else {
            throw StageConfigurationError(location: file, message: "a pipeline file must be a mapping with name, source and sink")
        }
        let known: Set<String> = ["name", "schedule", "source", "filters", "transforms", "sink", "batch_size", "catch_up", "timezone", "description", "duplicate"]
        for member in members where !known.contains(member.key) {
            throw StageConfigurationError(
                location: at(member.key), message: "unknown key; valid keys: \(known.sorted().joined(separator: ", "))")
        }
        func spec(_ value: JSONValue?, _ path: String) throws(StageConfigurationError) -> StageSpec {
            guard let value, case .object = value else {
                throw StageConfigurationError(location: at(path), message: "expected a mapping with a 'type' key")
            }
            guard case .string(let type)? = value["type"] else {
                throw StageConfigurationError(location: at(path), message: "missing 'type' (the stage's registry name)")
            }
            var stageLines: [String: Int] = [:]
            for (key, line) in lines where key.hasPrefix(path + ".") { stageLines[String(key.dropFirst(path.count + 1))] = line }
            return StageSpec(type: type, options: value, location: at(path), lines: stageLines)
        }
        func specs(_ key: String) throws(StageConfigurationError) -> [StageSpec] {
            switch document[key] {
            case nil, .null?: return []
            case .array(let elements)?:
                var out: [StageSpec] = []
                for (i, element) in elements.enumerated() { out.append(try spec(element, "\(key)[\(i)]")) }
                return out
            default:
                throw StageConfigurationError(location: at(key), message: "expected a list of stages")
            }
        }
        guard case .string(let name)? = document["name"], !name.isEmpty else {
            throw StageConfigurationError(location: at("name"), message: "missing 'name'")
        }
        let schedule = try Self.schedule(document, file: file, lines: lines)
        var batchSize = Pipeline.defaultBatchSize
        if let value = document["batch_size"] {
            guard case .int(let n) = value, n > 0 else {
                throw StageConfigurationError(location: at("batch_size"), message: "expected a positive integer")
            }
            batchSize = Int(n)
        }
        self.init(
            name: name, schedule: schedule?.expression, source: try spec(document["source"], "source"), filters: try specs("filters"),
            transforms: try specs("transforms"), sink: try spec(document["sink"], "sink"), batchSize: batchSize)
    }

    /// The `schedule` (and optional `timezone`) of a pipeline file, checked: a malformed cron
    /// expression or an unknown zone is refused with its line.
    public static func schedule(_ document: JSONValue, file: String, lines: [String: Int]) throws(StageConfigurationError) -> CronSchedule? {
        func at(_ path: String) -> String { lines[path].map { "\(file):\($0): \(path)" } ?? "\(file): \(path)" }
        var zone = TimeZone(identifier: "UTC")!
        if case .string(let name)? = document["timezone"] {
            guard let named = TimeZone(identifier: name) else {
                throw StageConfigurationError(location: at("timezone"), message: "unknown time zone '\(name)' (use an IANA name such as Europe/Rome)")
            }
            zone = named
        }
        switch document["schedule"] {
        case nil, .null?:
            return nil
        case .string(let expression)?:
            do {
                return try CronSchedule(expression, timeZone: zone)
            } catch {
                throw StageConfigurationError(location: at("schedule"), message: String(describing: error))
            }
        default:
            throw StageConfigurationError(location: at("schedule"), message: "expected a cron expression in quotes")
        }
    }
}
