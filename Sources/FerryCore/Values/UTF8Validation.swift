/// Finds the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF), so that readers refuse invalid text instead of replacing it with U+FFFD.
///
/// Runs of ASCII, which is nearly all the text Ferry reads, are skipped eight bytes at a time.
public enum UTF8Validation {
    /// The offset (from the start of `bytes`) of the first byte of the first invalid or truncated
    /// sequence, or nil when all of `bytes` is valid UTF-8.
    public static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return nil }
        var i = 0
        while i < count {
            // Fast path: eight ASCII bytes at a time.
            while i + 8 <= count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < count else { return nil }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let width: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the range of the second byte
            switch lead {
            case 0xC2...0xDF: width = 2
            case 0xE0: width = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: width = 3
            case 0xED: width = 3; high = 0x9F
            case 0xF0: width = 4; low = 0x90
            case 0xF1...0xF3: width = 4
            case 0xF4: width = 4; high = 0x8F
            default: return i
            }
            guard i + width <= count else { return i }
            guard (low...high).contains(base[i + 1]) else { return i }
            for k in 2..<max(2, width) where base[i + k] & 0xC0 != 0x80 { return i }
            i += width
        }
        return nil
    }

    /// As ``firstInvalidOffset(in:)-(UnsafeBufferPointer<UInt8>)``, for an array.
    public static func firstInvalidOffset(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidOffset(in: $0) }
    }

    /// Whether all of `bytes` is valid UTF-8.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstInvalidOffset(in: bytes) == nil
    }
}
