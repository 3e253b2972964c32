import FerryCore
import Foundation

/// A pipeline file that carries a `schedule`: what to run, when, and where its runs are logged.
///
/// ```yaml
/// name: nightly-orders-csv
/// schedule: "0 2 * * *"      # standard 5-field cron
/// timezone: Europe/Rome      # optional; UTC by default
/// catch_up: true             # run once at start when a scheduled run was missed while down
/// ```
public struct ScheduledPipeline: Sendable {
    /// The pipeline's name; overlapping runs of one name are skipped.
    public var name: String
    /// The file it came from.
    public var file: String
    /// When it runs.
    public var schedule: CronSchedule
    /// Whether a run missed while no scheduler was running is run once at start.
    public var catchUp: Bool
    /// What it runs.
    public var content: PipelineFile.Content
    /// The dataset whose run log records its runs: the one it writes (a `dataset` sink's mode, a
    /// duplication's target), else the one it reads, else `test`.
    public var logMode: DatasetMode

    /// Creates a scheduled pipeline.
    public init(name: String, file: String, schedule: CronSchedule, catchUp: Bool, content: PipelineFile.Content, logMode: DatasetMode) {
        self.name = name
        self.file = file
        self.schedule = schedule
        self.catchUp = catchUp
        self.content = content
        self.logMode = logMode
    }

    /// Loads a pipeline file; nil when it has no schedule.
    public static func load(_ path: String, catalog: ResourceCatalog = .commerce) throws -> ScheduledPipeline? {
        let (document, lines) = try PipelineFile.document(path)
        guard let schedule = try PipelineDefinition.schedule(document, file: path, lines: lines) else { return nil }
        var catchUp = false
        switch document["catch_up"] {
        case nil, .null?: break
        case .bool(let value)?: catchUp = value
        default:
            throw StageConfigurationError(location: lines["catch_up"].map { "\(path):\($0): catch_up" } ?? "\(path): catch_up", message: "expected true or false")
        }
        let content = try PipelineFile.loadContent(path, catalog: catalog)
        return ScheduledPipeline(name: content.name, file: path, schedule: schedule, catchUp: catchUp, content: content, logMode: logMode(of: content))
    }

    /// Every scheduled pipeline among the YAML files under a folder, in path order.
    public static func loadAll(in folder: String, catalog: ResourceCatalog = .commerce) throws -> [ScheduledPipeline] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if ["yml", "yaml"].contains(url.pathExtension) { paths.append(url.standardizedFileURL.path) }
        }
        return try paths.sorted().compactMap { try load($0, catalog: catalog) }
    }

    /// The dataset whose run log records runs of `content`.
    public static func logMode(of content: PipelineFile.Content) -> DatasetMode {
        switch content {
        case .duplication(let definition):
            return definition.to
        case .pipeline(let definition):
            for spec in [definition.sink, definition.source] where spec.type == "dataset" {
                if let mode = spec.options["mode"]?.stringValue.flatMap(DatasetMode.init(rawValue:)) { return mode }
            }
            return definition.source.options["mode"]?.stringValue.flatMap(DatasetMode.init(rawValue:)) ?? .test
        }
    }
}
