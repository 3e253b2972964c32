/// Makes record ids that look like Commerce Layer's — 10 characters of base62 — and that sort
/// in the order they were made.
///
/// An id is a counter in its high bits and a keyed hash of the counter in its low 20 bits,
/// written in base62 with digits before letters, so text order is numeric order. That order is
/// what makes the keyset scan of an export follow insertion order (sequential table reads, and
/// similar records side by side for gzip), and what lets an import that creates records in file
/// order be exported again in the same order. The same key gives the same sequence: `ferry seed`
/// is deterministic down to the ids.
public struct RecordIDGenerator: Sendable {
    private var counter: UInt64
    private let key: UInt64
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    private static let noiseBits: UInt64 = 20
    /// Puts the first character at `A`, like the ids users know, and leaves room for 6·10¹¹ ids.
    private static let base: UInt64 = 10 * 13_537_086_546_263_552  // 10 · 62⁹
    private static let limit: UInt64 = 839_299_365_868_340_224  // 62¹⁰

    /// Creates a generator whose sequence is fixed by `key`, continuing after `start` ids.
    public init(key: UInt64, start: UInt64 = 0) {
        self.key = key
        self.counter = start
    }

    /// A generator that continues after the largest id already in use, so new ids sort after it.
    public init(key: UInt64, after lastID: String?) {
        self.init(key: key, start: lastID.flatMap(Self.counter(of:)) ?? 0)
    }

    /// The next id.
    public mutating func next() -> String {
        counter &+= 1
        let noise = Self.scramble(counter, key: key) & ((1 << Self.noiseBits) - 1)
        let value = Self.base + (counter << Self.noiseBits | noise)
        precondition(value < Self.limit, "record id space exhausted")
        return Self.encode(value)
    }

    /// The counter an id of this scheme was made from, or nil for another kind of id.
    public static func counter(of id: String) -> UInt64? {
        guard id.utf8.count == 10 else { return nil }
        var value: UInt64 = 0
        for byte in id.utf8 {
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            value = value * 62 + UInt64(digit)
        }
        guard value >= base else { return nil }
        return (value - base) >> noiseBits
    }

    /// A keyed 64-bit mix (SplitMix64's finaliser).
    static func scramble(_ value: UInt64, key: UInt64) -> UInt64 {
        var z = value &+ key &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func encode(_ value: UInt64) -> String {
        var v = value
        var bytes = [UInt8](repeating: 48, count: 10)
        var i = 9
        while i >= 0 {
            bytes[i] = alphabet[Int(v % 62)]
            v /= 62
            i -= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
