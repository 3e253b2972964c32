import FerryCore

/// A sink that counts records and sums a 128-bit hash of each one's JSON, so two record streams
/// can be compared for equal content whatever their order (what `ferry duplicate` verifies).
public actor DigestSink: SinkStage {
    private var count = 0
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    /// Creates the sink.
    public init() {}

    /// Records seen and their digest, as 32 hex digits.
    public var digest: (count: Int, hex: String) {
        (count, Self.hex(high) + Self.hex(low))
    }

    public func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {}

    public func write(_ records: [Record]) async throws {
        var writer = JSONWriter(capacity: 1024)
        for record in records {
            writer.bytes.removeAll(keepingCapacity: true)
            writer.write(record)
            var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
            for byte in writer.bytes {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 1
            }
            low &+= a
            high &+= b
            count += 1
        }
    }

    public func commit() async throws -> [String: String]? { nil }

    public func close() async throws -> SinkSummary {
        SinkSummary(recordsWritten: count, details: ["digest": .string(digest.hex)])
    }

    public func abort() async {}

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
