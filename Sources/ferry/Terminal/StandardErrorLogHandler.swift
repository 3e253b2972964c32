import FerryCore
import Foundation
import Logging

/// Writes log lines to standard error, formatting metadata only when a line is written: as text
/// (`2026-11-30T03:29:00Z warning ferry.jobs : job_id=abc kind=exports mode=test [FerryJobs] message`,
/// the shape of swift-log's `StreamLogHandler`) or as one JSON object a line
/// (`{"timestamp":"2026-11-30T03:29:00.123Z","level":"info","label":"ferry.jobs","message":"job completed",
/// "source":"FerryJobs","job_id":"A000004YMh","kind":"exports","mode":"test"}`).
///
/// swift-log's `StreamLogHandler` renders its metadata each time it changes, and a server changes
/// it on every request (request id, mode) while logging almost nothing at its usual levels: that
/// rendering was a measurable part of serving a small read. In JSON, the logger's metadata are
/// members beside the fixed ones; one named like a fixed member is written as `metadata.<name>`.
struct StandardErrorLogHandler: LogHandler {
    /// The logger's label.
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// The shape of a line.
    let format: LogOptions.Format

    /// The members every JSON line has, in this order.
    static let fixedMembers: Set<String> = ["timestamp", "level", "label", "message", "source"]
    private static let timestamps = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// A handler for `label` writing lines of `format` at `level` and above.
    init(label: String, level: Logger.Level = .info, format: LogOptions.Format = .text) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let sorted = all.sorted { $0.key < $1.key }
        let line: String
        switch format {
        case .text:
            let rendered = sorted.isEmpty ? "" : " " + sorted.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(Date().ISO8601Format()) \(event.level) \(label) :\(rendered) [\(event.source)] \(event.message)\n"
        case .json:
            var members = [
                JSONMember("timestamp", .string(Self.timestamps.format(Date()))), JSONMember("level", .string(event.level.rawValue)),
                JSONMember("label", .string(label)), JSONMember("message", .string(event.message.description)),
                JSONMember("source", .string(event.source)),
            ]
            for (key, value) in sorted {
                members.append(JSONMember(Self.fixedMembers.contains(key) ? "metadata.\(key)" : key, Self.json(value)))
            }
            line = JSONValue.object(members).jsonText + "\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// A metadata value as JSON: strings stay strings, lists arrays, dictionaries objects.
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.sorted { $0.key < $1.key }.map { JSONMember($0.key, json($0.value)) })
        }
    }
}
