import FerryCore
import FerryStore

/// Sink `dataset`: the importer. Upserts records into a dataset (SPEC §3), one transaction per
/// batch, and stops with ``ImportInterrupted`` when bad inputs pass the error threshold.
///
/// Inputs are checked and typed (``ImportPreparer``) ahead of the writes, while the previous
/// batch's transaction runs.
public actor DatasetSink: PreparingSinkStage {
    private let importer: RecordImporter
    private let preparer: ImportPreparer
    private let destination: String
    private var savedLogs: (revision: Int, errors: String?, warnings: String?)?

    /// Creates a sink importing records of `type` into `dataset`.
    public init(dataset: Dataset, type: ResourceType, options: RecordImporter.Options) {
        importer = RecordImporter(dataset: dataset, type: type, options: options)
        preparer = importer.preparer
        destination = "\(dataset.mode) \(type.name)"
    }

    /// What the import did so far.
    public var report: ImportReport { importer.report }

    public func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {
        guard let state else { return }
        var saved = ImportReport()
        saved.created = Int(state["created"] ?? "") ?? 0
        saved.updated = Int(state["updated"] ?? "") ?? 0
        saved.unchanged = Int(state["unchanged"] ?? "") ?? 0
        saved.errors = Int(state["errors"] ?? "") ?? 0
        saved.warnings = Int(state["warnings"] ?? "") ?? 0
        saved.inputs = Int(state["inputs"] ?? "") ?? 0
        saved.restoreLogs(errors: state["errors_log"].flatMap { try? JSONParser.parse($0) }, warnings: state["warnings_log"].flatMap { try? JSONParser.parse($0) })
        importer.restore(saved, inputsSeen: saved.inputs)
    }

    public nonisolated func prepare(_ records: [Record]) async throws -> PreparedImportBatch {
        preparer.prepare(records)
    }

    public func write(prepared batch: PreparedImportBatch) async throws {
        try importer.importBatch(batch)
        if importer.exceedsErrorThreshold { throw ImportInterrupted(report: importer.report) }
    }

    public func commit() async throws -> [String: String]? {
        let r = importer.report
        var state = ["created": String(r.created), "updated": String(r.updated), "unchanged": String(r.unchanged),
                     "errors": String(r.errors), "warnings": String(r.warnings), "inputs": String(r.inputs)]
        // The logs travel with the checkpoint, so that a resumed import still reports what it
        // refused before the interruption; they are serialised again only when they changed.
        if savedLogs?.revision != r.logRevision {
            savedLogs = (r.logRevision, r.errorsLog.isEmpty ? nil : r.errorsLogJSON.jsonText, r.warningsLog.isEmpty ? nil : r.warningsLogJSON.jsonText)
        }
        state["errors_log"] = savedLogs?.errors
        state["warnings_log"] = savedLogs?.warnings
        return state
    }

    public func close() async throws -> SinkSummary {
        try importer.finish()
        let r = importer.report
        return SinkSummary(
            recordsWritten: r.processed, destination: destination, counters: r.counters,
            details: ["errors_log": r.errorsLogJSON, "warnings_log": r.warningsLogJSON])
    }

    public func abort() async {}
}

/// An import stopped because more than the threshold of its inputs were refused.
public struct ImportInterrupted: Error, CustomStringConvertible {
    /// What the import had done.
    public let report: ImportReport

    public var description: String {
        "import interrupted: \(report.errors) of \(report.inputs) inputs were refused (over 10%; pass skip_errors to go on)"
    }
}
