import FerryCore

/// What an import did, counted and logged (SPEC §3).
public struct ImportReport: Hashable, Sendable {
    /// Records created.
    public var created = 0
    /// Records that existed and changed.
    public var updated = 0
    /// Records that existed and were already equal to their input.
    public var unchanged = 0
    /// Inputs refused.
    public var errors = 0
    /// Inputs written with a warning.
    public var warnings = 0
    /// Records deleted by `cleanup_records`.
    public var destroyed = 0
    /// Inputs seen.
    public var inputs = 0
    /// `{"<natural key or index>": {"<attribute>": ["<message>"]}}`, in the order found, for the
    /// first ``maxLoggedInputs`` refused inputs (``errors`` counts them all).
    public private(set) var errorsLog: [(key: String, attributes: [(attribute: String, messages: [String])])] = []
    /// `{"<key>": ["<message>"]}`.
    public private(set) var warningsLog: [(key: String, messages: [String])] = []
    /// Changes whenever a log changes: what a checkpoint looks at to know whether to save them again.
    public private(set) var logRevision = 0
    private var errorKeys: [String: Int] = [:]
    private var warningKeys: [String: Int] = [:]
    /// By logged key, the input it names (-1: restored from a checkpoint, so an earlier input).
    private var errorOwners: [String: Int] = [:]

    /// How many inputs the errors log names at most: beyond, errors are counted but not
    /// described, which keeps a run of bad inputs from growing the log (and every checkpoint
    /// that carries it) without bound.
    public static let maxLoggedInputs = 10_000

    /// Creates an empty report.
    public init() {}

    /// Inputs processed without error — created, updated or unchanged — as `processed_count`
    /// counts them (SPEC §3), so that `processed + errors == inputs` once every input is seen.
    public var processed: Int { created + updated + unchanged }

    /// The counts by name, as a sink summary carries them (`created`, `updated`, `errors`, …).
    public var counters: [String: Int] {
        ["created": created, "updated": updated, "unchanged": unchanged, "errors": errors,
         "warnings": warnings, "destroyed": destroyed, "inputs": inputs]
    }

    public static func == (lhs: ImportReport, rhs: ImportReport) -> Bool {
        lhs.created == rhs.created && lhs.updated == rhs.updated && lhs.unchanged == rhs.unchanged && lhs.errors == rhs.errors
            && lhs.warnings == rhs.warnings && lhs.destroyed == rhs.destroyed && lhs.inputs == rhs.inputs
            && lhs.errorsLogJSON == rhs.errorsLogJSON
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(created)
        hasher.combine(updated)
        hasher.combine(errors)
        hasher.combine(errorsLogJSON.jsonText)
    }

    /// Records an error for an input under `key`; `input` is the top-level input's index, so
    /// that two inputs giving the same natural key are logged apart (`SKU-001`, `SKU-001 (#7)`).
    mutating func logError(_ key: String, _ attribute: String, _ message: String, input: Int? = nil) {
        var key = key
        if let input, let owner = errorOwners[key], owner != input { key = "\(key) (#\(input))" }
        if let i = errorKeys[key] {
            if let j = errorsLog[i].attributes.firstIndex(where: { $0.attribute == attribute }) {
                errorsLog[i].attributes[j].messages.append(message)
            } else {
                errorsLog[i].attributes.append((attribute, [message]))
            }
        } else {
            guard errorsLog.count < Self.maxLoggedInputs else { return }
            errorKeys[key] = errorsLog.count
            if let input { errorOwners[key] = input }
            errorsLog.append((key, [(attribute, [message])]))
        }
        logRevision += 1
    }

    /// Records a warning about a record the import wrote or kept (at most ``maxLoggedInputs``
    /// are described; ``warnings`` counts them all).
    mutating func logWarning(_ key: String, _ message: String) {
        warnings += 1
        if let i = warningKeys[key] {
            warningsLog[i].messages.append(message)
        } else {
            guard warningsLog.count < Self.maxLoggedInputs else { return }
            warningKeys[key] = warningsLog.count
            warningsLog.append((key, [message]))
        }
        logRevision += 1
    }

    /// Restores the logs a checkpoint saved (``errorsLogJSON`` and ``warningsLogJSON``), to resume
    /// an interrupted import without losing what it had logged.
    public mutating func restoreLogs(errors: JSONValue?, warnings: JSONValue?) {
        errorsLog = []
        errorKeys = [:]
        errorOwners = [:]
        if case .object(let entries)? = errors {
            for entry in entries {
                guard case .object(let attributes) = entry.value else { continue }
                errorKeys[entry.key] = errorsLog.count
                errorOwners[entry.key] = -1
                errorsLog.append((entry.key, attributes.map { ($0.key, Self.strings($0.value)) }))
            }
        }
        warningsLog = []
        warningKeys = [:]
        if case .object(let entries)? = warnings {
            warningsLog = entries.map { ($0.key, Self.strings($0.value)) }
            warningKeys = Dictionary(warningsLog.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        }
        logRevision += 1
    }

    private static func strings(_ value: JSONValue) -> [String] {
        guard case .array(let items) = value else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    /// The errors log as the JSON object SPEC §3 describes.
    public var errorsLogJSON: JSONValue {
        .object(errorsLog.map { entry in
            JSONMember(entry.key, .object(entry.attributes.map { JSONMember($0.attribute, .array($0.messages.map(JSONValue.string))) }))
        })
    }

    /// The warnings log as a JSON object.
    public var warningsLogJSON: JSONValue {
        .object(warningsLog.map { JSONMember($0.key, .array($0.messages.map(JSONValue.string))) })
    }
}
