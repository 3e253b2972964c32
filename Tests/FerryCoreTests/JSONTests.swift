import Testing
@testable import FerryCore

@Suite struct JSONTests {
    @Test func parsesAndWritesBackTheSameDocument() throws {
        let text = #"{"a":1,"b":[true,false,null],"c":{"d":"x\"y\\z\n\u00e9😀"},"e":-2.5,"f":1e3,"z":"last"}"#
        let value = try JSONParser.parse(text)
        #expect(value["a"] == .int(1))
        #expect(value["e"] == .double(-2.5))
        #expect(value["f"] == .double(1000))
        #expect(value["c"]?["d"] == .string("x\"y\\z\né😀"))
        let written = value.jsonText
        #expect(try JSONParser.parse(written) == value)
        #expect(written.hasPrefix(#"{"a":1,"b":[true,false,null]"#), "members keep their order")
    }

    @Test func escapesControlCharacters() {
        #expect(JSONValue.string("tab\there\u{01}").jsonText == #""tab\there\u0001""#)
    }

    @Test(arguments: [
        ("{\"a\":1,}", 1, 8), ("[1,2", 1, 5), ("{\"a\"\n:tru}", 2, 2), ("\"unterminated", 1, 14), ("[1] 2", 1, 5),
    ])
    func reportsWhereTheFaultIs(text: String, line: Int, column: Int) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("expected a parse error for \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func containmentFollowsJcontRules() throws {
        let doc = try JSONParser.parse(#"{"a":1,"tags":["x","y"],"n":{"k":"v","w":2}}"#)
        #expect(doc.contains(["a": 1]))
        #expect(doc.contains(["tags": ["y"]]))
        #expect(doc.contains(["n": ["k": "v"]]))
        #expect(!doc.contains(["a": 2]))
        #expect(!doc.contains(["missing": 1]))
        #expect(!doc.contains(["n": ["k": "other"]]))
    }

    @Test func writesIntegersAndDoubles() {
        var w = JSONWriter()
        w.writeInt(Int64.min); w.writeRaw([44]); w.writeInt(0); w.writeRaw([44]); w.writeDouble(2); w.writeRaw([44])
        w.writeDouble(0.1); w.writeRaw([44]); w.writeDouble(.nan)
        #expect(String(decoding: w.bytes, as: UTF8.self) == "-9223372036854775808,0,2.0,0.1,null")
    }
}
