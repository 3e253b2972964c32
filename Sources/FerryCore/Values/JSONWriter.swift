/// Appends JSON text to a byte buffer.
///
/// The writer is the single place where Ferry turns values into JSON bytes; it avoids Foundation's
/// encoders, which allocate per value and are far too slow for exporting millions of records.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]
    /// The encoded keys of records written before (``write(_:)-(Record)``).
    var keys = JSONKeyCache()

    /// Creates a writer with an empty buffer of the given capacity.
    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Writes a JSON string literal, escaping as RFC 8259 requires.
    @inlinable
    public mutating func writeString(_ string: String) {
        bytes.append(34)
        var s = string
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                if c >= 0x20 && c != 34 && c != 92 { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                switch c {
                case 34: bytes.append(92); bytes.append(34)
                case 92: bytes.append(92); bytes.append(92)
                case 10: bytes.append(92); bytes.append(110)
                case 13: bytes.append(92); bytes.append(114)
                case 9: bytes.append(92); bytes.append(116)
                case 8: bytes.append(92); bytes.append(98)
                case 12: bytes.append(92); bytes.append(102)
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]])
                }
                start = i + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(34)
    }

    /// Writes an integer.
    @inlinable
    public mutating func writeInt(_ value: Int64) {
        if value == 0 {
            bytes.append(48)
            return
        }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                buffer[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            }
            if value < 0 { bytes.append(45) }
            while n > 0 {
                n -= 1
                bytes.append(buffer[n])
            }
        }
    }

    /// Writes a floating-point number in its shortest round-tripping form; non-finite numbers,
    /// which JSON cannot hold, are written as `null`.
    public mutating func writeDouble(_ value: Double) {
        guard value.isFinite else {
            writeNull()
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            writeInt(Int64(value))
            bytes.append(contentsOf: [46, 48])  // ".0" keeps the number a float on the way back
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Writes `true` or `false`.
    public mutating func writeBool(_ value: Bool) {
        bytes.append(contentsOf: value ? [116, 114, 117, 101] : [102, 97, 108, 115, 101])
    }

    /// Writes `null`.
    public mutating func writeNull() {
        bytes.append(contentsOf: [110, 117, 108, 108])
    }

    /// Writes raw bytes that are already valid JSON.
    public mutating func writeRaw(_ raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    /// Writes `[e1,e2,…]`, each element written by `writeElement`.
    public mutating func writeArray<Element>(_ elements: [Element], _ writeElement: (inout JSONWriter, Element) -> Void) {
        bytes.append(91)
        for (i, element) in elements.enumerated() {
            if i > 0 { bytes.append(44) }
            writeElement(&self, element)
        }
        bytes.append(93)
    }

    /// Writes a JSON document.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .int(let i): writeInt(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let elements):
            writeArray(elements) { $0.write($1) }
        case .object(let members):
            bytes.append(123)
            for (i, member) in members.enumerated() {
                if i > 0 { bytes.append(44) }
                writeString(member.key)
                bytes.append(58)
                write(member.value)
            }
            bytes.append(125)
        }
    }
}

extension JSONValue {
    /// The compact JSON text of this document.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 64)
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
