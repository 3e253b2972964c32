import Testing
@testable import FerryCore

/// Invalid UTF-8 is refused where text is read, with the byte offset of the fault; nothing is
/// replaced with U+FFFD behind the reader's back.
@Suite struct UTF8ValidationTests {
    /// Whether the standard library takes `bytes` as they are: decoding replaces nothing.
    static func reference(_ bytes: [UInt8]) -> Bool {
        Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
    }

    @Test func agreesWithTheStandardLibraryOnEdgeCases() {
        let cases: [[UInt8]] = [
            [], Array("plain ascii, long enough to take the eight-byte path".utf8), Array("Émile ß 日本 🚢".utf8),
            [0xFF], [0xFE, 0xFF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80],
            [0xED, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x9A], [0x80], [0xC3, 0x28], [0xE2, 0x28, 0xA1],
            Array("12345678".utf8) + [0xC3, 0xA9] + Array("abcdefgh".utf8), Array("1234567".utf8) + [0xFF] + Array("abcdefgh".utf8),
        ]
        for bytes in cases {
            #expect((UTF8Validation.firstInvalidOffset(in: bytes) == nil) == Self.reference(bytes), "\(bytes)")
        }
        #expect(UTF8Validation.firstInvalidOffset(in: Array("abc".utf8) + [0xFF, 0xFE]) == 3)
        #expect(UTF8Validation.firstInvalidOffset(in: Array("0123456789".utf8) + [0xE2, 0x82]) == 10)
    }

    @Test func agreesWithTheStandardLibraryOnRandomBytes() {
        // A fixed-seed generator (SplitMix64), so that a failure reproduces.
        struct SplitMix: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }
        var rng = SplitMix(state: 0xFE55)
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let offset = UTF8Validation.firstInvalidOffset(in: bytes)
            #expect((offset == nil) == Self.reference(bytes), "\(bytes)")
            if let offset {
                // Everything before the fault is valid, and the fault is where the valid prefix stops.
                #expect(Self.reference(Array(bytes[..<offset])), "\(bytes)")
            }
        }
    }

    @Test func theJSONParserRefusesInvalidUTF8InStringsWithItsOffset() {
        let document = Array(#"{"code":"SKU-1","name":"ab"#.utf8) + [0xFF, 0xFE] + Array(#"c"}"#.utf8)
        #expect {
            try JSONParser.parse(document)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.reason == .invalidUTF8 && error.offset == 26 && error.member == "name"
                && error.description.contains("byte offset 26") && error.description.contains("UTF-8")
        }
        // In a member name, after an escape, in a nested document, at the end of a string.
        let more: [[UInt8]] = [
            Array(#"{"na"#.utf8) + [0xC3] + Array(#"me":1}"#.utf8),
            Array(#"["a\n"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""]"#.utf8),
            Array(#"{"a":{"b":["x"#.utf8) + [0xC0, 0xAF] + Array(#""]}}"#.utf8),
            Array(#""abc"#.utf8) + [0xE2, 0x82] + Array(#"""#.utf8),
        ]
        for bytes in more {
            #expect(throws: JSONParseError.self, "\(bytes)") { try JSONParser.parse(bytes) }
        }
        // Valid UTF-8, raw or escaped, still parses.
        #expect((try? JSONParser.parse(Array(#"{"name":"Émile \u00e9 🚢"}"#.utf8))) == .object([JSONMember("name", "Émile é 🚢")]))
    }

    @Test func replacingGivesTheValueAndTheFirstFault() throws {
        let document = Array(#"{"code":"SKU-1","name":"a"#.utf8) + [0xFF] + Array(#"","description":"b"#.utf8) + [0xFE] + Array(#""}"#.utf8)
        var names: [String] = []
        let (value, fault) = try document.withUnsafeBufferPointer { try JSONParser.parseReplacingInvalidUTF8($0, names: &names) }
        #expect(value["code"] == "SKU-1")
        #expect(value["name"] == .string("a\u{FFFD}"))
        #expect(fault?.offset == 25)
        #expect(fault?.member == "name")
        let clean = Array(#"{"code":"SKU-2"}"#.utf8)
        let (_, none) = try clean.withUnsafeBufferPointer { try JSONParser.parseReplacingInvalidUTF8($0, names: &names) }
        #expect(none == nil)
    }
}
