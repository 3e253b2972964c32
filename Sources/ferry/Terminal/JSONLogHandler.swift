import FerryCore
import Foundation
import Logging

/// Writes each log event to standard error as one JSON object on one line:
/// `{"timestamp":"2026-11-30T03:29:00.123Z","level":"info","label":"ferry.jobs","message":"job completed",
/// "source":"FerryJobs","job_id":"A000004YMh","kind":"exports","mode":"test","records":"100"}`.
///
/// The logger's metadata (request id, job id, mode, …) are members of that object beside the
/// fixed ones; one whose name is a fixed member's is written as `metadata.<name>` instead.
struct JSONLogHandler: LogHandler {
    /// The logger's label.
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// The members every line has, in this order.
    static let fixedMembers: Set<String> = ["timestamp", "level", "label", "message", "source"]
    private static let timestamps = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

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
        var members = [
            JSONMember("timestamp", .string(Self.timestamps.format(Date()))), JSONMember("level", .string(event.level.rawValue)),
            JSONMember("label", .string(label)), JSONMember("message", .string(event.message.description)),
            JSONMember("source", .string(event.source)),
        ]
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            members.append(JSONMember(Self.fixedMembers.contains(key) ? "metadata.\(key)" : key, Self.json(value)))
        }
        FileHandle.standardError.write(Data((JSONValue.object(members).jsonText + "\n").utf8))
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
