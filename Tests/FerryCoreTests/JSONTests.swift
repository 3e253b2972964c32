import Testing
@testable import FerryCore

@Suite struct JSONTests {
    /// A run of objects parsed with one names memo gives what separate parses give, whatever
    /// changes between them: a renamed, escaped, missing, added or nested member.
    @Test func runOfObjectsParsesLikeSeparateDocuments() throws {
        let documents = [
            #"{"code":"A","shipping_category_code":"x","n":1}"#,
            #"{"code":"B","shipping_category_code":"y","n":2}"#,
            #"{"code":"C","shipping_category_cod":"z","n":3}"#,
            #"{"co\u0064e":"D","shipping_category_code":"w"}"#,
            #"{"code":"E","shipping_category_code":"v","n":5,"extra":{"code":"inner"}}"#,
            #"{"name":"F"}"#,
            #"{"code":"G","shipping_category_code":"u","n":7,"extra":null}"#,
        ]
        var names: [String] = []
        for text in documents {
            let value = try JSONParser.parse(Array(text.utf8), names: &names)
            #expect(value == (try JSONParser.parse(text)), "\(text)")
        }
        #expect(names.prefix(4) == ["code", "shipping_category_code", "n", "extra"])
        // A raw control character is refused even where an escaped one was remembered.
        var escaped: [String] = []
        _ = try JSONParser.parse(Array(#"{"a\nb":1}"#.utf8), names: &escaped)
        #expect(escaped == ["a\nb"])
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array("{\"a\nb\":1}".utf8), names: &escaped) }
        // A malformed document still fails with its position.
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(#"{"code":"A","shipping_category_code""#.utf8), names: &names) }
    }

    /// A memo gives the meaning of a name seen at the same position before without looking it up,
    /// and looks up every name that changed.
    @Test func nameMemoLooksUpOnlyNamesThatChanged() {
        var memo = NameMemo<Int?>()
        var lookups: [String] = []
        let known = ["code": 1, "name": 2, "weight": 3]
        func meanings(of names: [String]) -> [Int?] {
            names.enumerated().map { position, name in
                memo.meaning(of: name, at: position) { lookups.append($0); return known[$0] }
            }
        }
        #expect(meanings(of: ["code", "name"]) == [1, 2])
        #expect(meanings(of: ["code", "name", "weight"]) == [1, 2, 3])
        #expect(meanings(of: ["code", "weight", "unknown"]) == [1, 3, nil])
        #expect(meanings(of: ["code", "weight", "unknown"]) == [1, 3, nil])
        #expect(lookups == ["code", "name", "weight", "weight", "unknown"])
    }

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

    /// Records that share one names array have their keys encoded once and reused; the bytes are
    /// the same as for records whose names are each their own array, nested records included, and
    /// a names array changed after it was cached gets keys of its own.
    @Test func recordsSharingTheirNamesEncodeLikeRecordsThatDoNot() throws {
        let tierNames = ["id", "up_to"]
        let names = ["id", "na\"me", "tiers"]
        let shared = (0..<6).map { i in
            Record(names: names, values: [.int(Int64(i)), .string("n\(i)"), .records([Record(names: tierNames, values: [.int(Int64(i)), .double(9.5)])])])
        }
        func ownNames(_ record: Record) -> Record {
            Record(names: record.names.map { $0 }, values: record.values.map { value in
                guard case .records(let nested) = value else { return value }
                return .records(nested.map(ownNames))
            })
        }
        var cached = JSONWriter()
        var uncached = JSONWriter()
        for record in shared {
            cached.write(record)
            uncached.write(ownNames(record))
        }
        #expect(cached.bytes == uncached.bytes)
        #expect(String(decoding: cached.bytes.prefix(60), as: UTF8.self).hasPrefix(#"{"id":0,"na\"me":"n0","tiers":[{"id":0,"up_to":9.5}]}"#))
        var renamed = shared[1]
        renamed.rename("na\"me", to: "title")
        var after = JSONWriter()
        after.write(renamed)
        #expect(String(decoding: after.bytes, as: UTF8.self) == #"{"id":1,"title":"n1","tiers":[{"id":1,"up_to":9.5}]}"#)
        var array = JSONWriter()
        array.writeArray(shared) { $0.write($1) }
        guard case .array(let parsed) = try JSONParser.parse(array.bytes) else { Issue.record("not an array"); return }
        #expect(parsed.count == 6)
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
