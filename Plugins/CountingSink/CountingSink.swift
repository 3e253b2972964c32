import FerryCore

/// The example plugin of `docs/writing-a-stage.md`: a `count` sink that counts records per value
/// of one field and reports the tally when the run ends.
public actor CountingSink: SinkStage {
    /// The field whose values are counted.
    public let field: String
    /// The tally so far.
    public private(set) var counts: [String: Int] = [:]

    /// Creates the sink.
    public init(field: String) {
        self.field = field
    }

    public func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {
        // A checkpoint carries the tally, so a resumed run counts on from it.
        counts = (state ?? [:]).compactMapValues(Int.init)
    }

    public func write(_ records: [Record]) async throws {
        for record in records {
            let key: String
            switch record[field] {
            case .string(let s)?: key = s
            case nil, .null?: key = "(none)"
            case let value?: key = value.jsonValue.jsonText
            }
            counts[key, default: 0] += 1
        }
    }

    public func commit() async throws -> [String: String]? {
        counts.mapValues(String.init)
    }

    public func close() async throws -> SinkSummary {
        SinkSummary(recordsWritten: counts.values.reduce(0, +), counters: counts)
    }

    public func abort() async {}
}

/// Registers the example plugin's stage.
public enum CountingSinkPlugin {
    /// Registers `count`.
    public static func register(into registry: StageRegistry) throws {
        try registry.register(StageDescriptor(
            name: "count", kind: .sink, summary: "Counts records per value of a field.",
            options: [StageOption("field", .string, required: true, help: "The field to count by.")]
        ) { options, _ in
            .sink(CountingSink(field: try options.requiredString("field")))
        })
    }
}
