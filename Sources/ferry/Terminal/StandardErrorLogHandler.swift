import Foundation
import Logging

/// Writes log lines to standard error, formatting metadata only when a line is written.
///
/// swift-log's `StreamLogHandler` renders its metadata each time it changes, and a server changes
/// it on every request (request id, mode) while logging almost nothing at its usual levels: that
/// rendering was a measurable part of serving a small read. Lines look like that handler's:
/// `2026-11-30T03:29:00Z warning ferry.jobs : job_id=abc kind=exports mode=test [FerryJobs] message`.
struct StandardErrorLogHandler: LogHandler {
    /// The logger's label.
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// A handler for `label` writing lines at `level` and above.
    init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let rendered = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Date().ISO8601Format()) \(event.level) \(label) :\(rendered) [\(event.source)] \(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
