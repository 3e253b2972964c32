import FerryCore
import Foundation
import Testing

@Suite struct ByteStreamTests {
    /// An array of `count` objects, one per line, whose strings hold quotes, brackets, braces and
    /// escapes, so that a value's end is only found by tracking strings and nesting.
    static func document(count: Int) -> (text: String, values: [JSONValue]) {
        var values: [JSONValue] = []
        for i in 0..<count {
            values.append(.object([
                JSONMember("code", .string("SKU-\(i)")),
                JSONMember("name", .string("tricky \"}],{[\\ \(String(repeating: "x", count: i % 300))")),
                JSONMember("nested", .object([JSONMember("list", .array([.int(Int64(i)), .string("]}"), .null]))])),
            ]))
        }
        return ("[\n" + values.map(\.jsonText).joined(separator: ",\n") + "\n]\n", values)
    }

    /// Values read in place (straight from the chunk, or copied when one straddles two chunks)
    /// are those written, and the line count follows, over a file several chunks long.
    @Test func readsJSONValuesInPlaceAcrossChunks() throws {
        let (text, values) = Self.document(count: 12_000)
        #expect(text.utf8.count > 2 << 20, "spans several 1 MiB chunks")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-bytestream-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }

        for inPlace in [true, false] {
            var stream = try ByteStream(path: url.path)
            #expect(try stream.take() == UInt8(ascii: "["))
            var read: [JSONValue] = []
            var names: [String] = []
            while true {
                try stream.skipWhitespace()
                if try stream.peek() == UInt8(ascii: "]") { break }
                if !read.isEmpty {
                    #expect(try stream.take() == UInt8(ascii: ","))
                    try stream.skipWhitespace()
                }
                if inPlace {
                    read.append(try stream.withNextJSONValueBytes { try JSONParser.parse($0, names: &names) })
                } else {
                    read.append(try JSONParser.parse(try stream.nextJSONValueBytes()))
                }
                #expect(stream.line == read.count + 1)
            }
            #expect(read.count == values.count)
            #expect(read == values, "in place: \(inPlace)")
        }
    }
}
