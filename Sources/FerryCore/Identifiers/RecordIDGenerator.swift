/// Makes record ids that look like Commerce Layer's: 10 characters of base62.
///
/// Ids are a bijective scramble of a counter, so one generator never repeats an id, and a
/// generator made with the same key yields the same sequence: that is what makes `ferry seed`
/// deterministic down to the ids.
public struct RecordIDGenerator: Sendable {
    private var counter: UInt64
    private let key: UInt64
    private static let mask: UInt64 = (1 << 59) - 1  // 2^59 < 62^10: every value fits in 10 characters
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Creates a generator whose sequence is fixed by `key`.
    public init(key: UInt64, start: UInt64 = 0) {
        self.key = key & Self.mask
        self.counter = start
    }

    /// Creates a generator with a random key, for ids made outside seeding.
    public static func random() -> RecordIDGenerator {
        var rng = SystemRandomNumberGenerator()
        return RecordIDGenerator(key: rng.next(), start: rng.next() & 0xFFFF_FFFF)
    }

    /// The next id.
    public mutating func next() -> String {
        counter &+= 1
        return Self.encode(Self.scramble(counter & Self.mask, key: key))
    }

    /// A bijection of the 59-bit values: xor, odd multiplications and xor-shifts each invert.
    static func scramble(_ value: UInt64, key: UInt64) -> UInt64 {
        var x = value ^ key
        x = (x &* 0x5DEE_CE66_D1CE_4E5B) & mask
        x ^= x >> 29
        x = (x &* 0x2545_F491_4F6C_DD1D) & mask
        x ^= x >> 32
        x = (x &* 0x9E37_79B9_7F4A_7C15) & mask
        x ^= x >> 27
        return x
    }

    static func encode(_ value: UInt64) -> String {
        var v = value
        var bytes = [UInt8](repeating: 65, count: 10)
        var i = 9
        while i >= 0 {
            bytes[i] = alphabet[Int(v % 62)]
            v /= 62
            i -= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
