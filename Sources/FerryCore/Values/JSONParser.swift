/// Parses JSON text into ``JSONValue`` documents, reporting the line, column and byte offset of
/// any fault. Text must be UTF-8: invalid UTF-8 in a string is refused (RFC 8259 §8.1), never
/// silently replaced, unless a caller asks for ``parseReplacingInvalidUTF8(_:names:)`` to go on
/// and decide itself.
public struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The member names of the previous top-level object, by position (see `parse(_:names:)`).
    private var names: [String] = []
    /// Whether invalid UTF-8 is replaced (and reported in `invalidUTF8`) rather than refused.
    private var replacesInvalidUTF8 = false
    /// The first invalid UTF-8 replaced.
    private var invalidUTF8: JSONParseError?
    /// The top-level object member being read, which a fault is attributed to.
    private var topLevelMember: String?
    /// How deep arrays and objects may nest before the input is refused.
    public static let maximumDepth = 512

    /// Parses one complete JSON document from text.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses one complete JSON document from UTF-8 bytes.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var names: [String] = []
        return try parse(bytes, names: &names)
    }

    /// Parses one of a run of documents, most of them objects naming the same members in the same
    /// order (the records of an export): a top-level member name equal to the previous
    /// document's at its position is that same string, not a new one. `names` carries those
    /// names from one call to the next.
    public static func parse(_ bytes: [UInt8], names: inout [String]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { bytes throws(JSONParseError) in try parse(bytes, names: &names) }
    }

    /// Parses one of a run of documents from bytes in memory, as ``parse(_:names:)-([UInt8],_)``.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, names: inout [String]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument(names: &names)
    }

    /// Parses one of a run of documents as ``parse(_:names:)-(UnsafeBufferPointer<UInt8>,_)``, but
    /// replaces invalid UTF-8 in strings with U+FFFD instead of refusing it, and returns the first
    /// such fault beside the value (its byte offset, and the top-level member it lies in). A
    /// reader uses it, after ``parse(_:names:)-(UnsafeBufferPointer<UInt8>,_)`` refused a
    /// document, to tell which record it was (its key) when it refuses that record alone.
    public static func parseReplacingInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, names: inout [String]) throws(JSONParseError) -> (value: JSONValue, invalidUTF8: JSONParseError?) {
        var parser = JSONParser(bytes: bytes)
        parser.replacesInvalidUTF8 = true
        let value = try parser.parseDocument(names: &names)
        return (value, parser.invalidUTF8)
    }

    private mutating func parseDocument(names: inout [String]) throws(JSONParseError) -> JSONValue {
        swap(&self.names, &names)
        defer { swap(&self.names, &names) }
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected text after the document") }
        return value
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func error(_ message: String, at position: Int? = nil, reason: JSONParseError.Reason = .syntax) -> JSONParseError {
        let offset = min(position ?? index, bytes.count)
        var line = 1, column = 1
        for b in bytes[0..<offset] {
            if b == 10 {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return JSONParseError(message: message, line: line, column: column, offset: offset, reason: reason, member: topLevelMember)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 10 || bytes[index] == 13 || bytes[index] == 9 {
            index += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case 123: return try parseObject(depth: depth)
        case 91: return try parseArray(depth: depth)
        case 34: return .string(try parseString())
        case 116: try literal("true"); return .bool(true)
        case 102: try literal("false"); return .bool(false)
        case 110: try literal("null"); return .null
        case 45, 48...57: return try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let matches = word.withUTF8Buffer { buffer in
            (0..<count).allSatisfy { bytes[index + $0] == buffer[$0] }
        }
        guard matches else { throw error("invalid literal") }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == 125 {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 34 else { throw error("expected a member name in quotes") }
            if depth == 0 { topLevelMember = nil }
            let key = depth == 0 ? try parseName(at: members.count) : try parseString()
            if depth == 0 { topLevelMember = key }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 58 else { throw error("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            members.append(JSONMember(key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[index] == 44 {
                index += 1
                continue
            }
            guard bytes[index] == 125 else { throw error("expected ',' or '}' in an object") }
            index += 1
            return .object(members)
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == 93 {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[index] == 44 {
                index += 1
                continue
            }
            guard bytes[index] == 93 else { throw error("expected ',' or ']' in an array") }
            index += 1
            return .array(elements)
        }
    }

    /// A top-level member name: the previous object's name at `position` when the bytes match it
    /// (and hold no escape), else a new string remembered there.
    private mutating func parseName(at position: Int) throws(JSONParseError) -> String {
        if position < names.count {
            let start = index + 1
            var end = start
            // Stops at an escape or a control character too: those take the full path.
            while end < bytes.count, bytes[end] != 34, bytes[end] != 92, bytes[end] >= 0x20 { end += 1 }
            if end < bytes.count, bytes[end] == 34, names[position].utf8.elementsEqual(bytes[start..<end]) {
                index = end + 1
                return names[position]
            }
        }
        let name = try parseString()
        if position < names.count {
            names[position] = name
        } else if position == names.count {
            names.append(name)
        }
        return name
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Any byte with the high bit set: only then is the text checked as UTF-8.
        var high: UInt8 = 0
        // Fast path: no escapes.
        while index < bytes.count {
            let c = bytes[index]
            if c == 34 {
                if high & 0x80 != 0 { try checkUTF8(from: start) }
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if c == 92 || c < 0x20 { break }
            high |= c
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case 34:
                // Escapes are ASCII and decode to valid UTF-8, so the raw bytes tell.
                if high & 0x80 != 0 { try checkUTF8(from: start) }
                index += 1
                return String(decoding: out, as: UTF8.self)
            case 92:
                index += 1
                guard index < bytes.count else { throw error("unexpected end of input in a string") }
                let e = bytes[index]
                index += 1
                switch e {
                case 34: out.append(34)
                case 92: out.append(92)
                case 47: out.append(47)
                case 98: out.append(8)
                case 102: out.append(12)
                case 110: out.append(10)
                case 114: out.append(13)
                case 116: out.append(9)
                case 117:
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == 92, bytes[index + 1] == 117 else {
                            throw error("unpaired surrogate in a string")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid unicode escape") }
                    out.append(contentsOf: String(Character(u)).utf8)
                default:
                    throw error("invalid escape in a string")
                }
            default:
                guard c >= 0x20 else { throw error("control character in a string") }
                high |= c
                out.append(c)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    /// Checks the raw bytes of a string, from `start` to the closing quote at `index`: invalid
    /// UTF-8 is refused, or, when replacing, remembered (the first one) and let through.
    private mutating func checkUTF8(from start: Int) throws(JSONParseError) {
        guard let bad = UTF8Validation.firstInvalidOffset(in: UnsafeBufferPointer(rebasing: bytes[start..<index])) else { return }
        let fault = error(
            "invalid UTF-8 in a string (byte 0x\(String(bytes[start + bad], radix: 16, uppercase: true)))",
            at: start + bad, reason: .invalidUTF8)
        guard replacesInvalidUTF8 else { throw fault }
        if invalidUTF8 == nil { invalidUTF8 = fault }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("unexpected end of input in a unicode escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 97...102: d = UInt32(c - 87)
            case 65...70: d = UInt32(c - 55)
            default: throw error("invalid hex digit in a unicode escape")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == 45 { index += 1 }
        let digitsStart = index
        while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        guard index > digitsStart else { throw error("invalid number") }
        if index < bytes.count, bytes[index] == 46 {
            isInteger = false
            index += 1
            let fractionStart = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > fractionStart else { throw error("invalid number") }
        }
        if index < bytes.count, bytes[index] == 101 || bytes[index] == 69 {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 { index += 1 }
            let exponentStart = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > exponentStart else { throw error("invalid number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number") }
        return .double(d)
    }
}

/// Why JSON text could not be parsed, and where.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of fault.
    public enum Reason: Hashable, Sendable {
        /// The text is not JSON.
        case syntax
        /// A string holds bytes that are not UTF-8 (`\xff\xfe`).
        case invalidUTF8
    }

    /// What was wrong.
    public var message: String
    /// The 1-based line of the fault.
    public var line: Int
    /// The 1-based column of the fault, in bytes.
    public var column: Int
    /// The 0-based byte offset of the fault from the start of the document's bytes.
    public var offset: Int
    /// The kind of fault.
    public var reason: Reason
    /// The member of the top-level object that was being read, if any.
    public var member: String?

    /// Creates an error.
    public init(message: String, line: Int, column: Int, offset: Int, reason: Reason = .syntax, member: String? = nil) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.reason = reason
        self.member = member
    }

    public var description: String { "invalid JSON at line \(line), column \(column) (byte offset \(offset)): \(message)" }
}
