import FerryCore
import Foundation
import Testing

/// A gzip stream that stops inside a member is a cut file, reported with where it stops.
@Suite struct GzipTruncationTests {
    /// Two members, as a sink writes them, of NDJSON-like lines: `count` in the first, twice
    /// as many in the second; and the length of the first.
    static func members(_ count: Int) throws -> (bytes: [UInt8], first: Int) {
        let compressor = try GzipCompressor(level: 6)
        func lines(_ range: Range<Int>) -> [UInt8] {
            Array(range.map { "{\"code\":\"SKU-\($0)\",\"name\":\"line \($0 * 7919 % 1000)\"}\n" }.joined().utf8)
        }
        let first = compressor.member(lines(0..<count))
        return (first + compressor.member(lines(count..<(3 * count))), first.count)
    }

    @Test func aStreamCutInsideAMemberThrowsTruncatedCompressionWithTheOffset() throws {
        let (whole, first) = try Self.members(2000)
        // In the first member's data, in its trailer, in the second's header, in the second's data.
        for cut in [first / 2, first - 3, first + 5, whole.count / 2, whole.count - 1] {
            let decompressor = try GzipDecompressor()
            _ = try decompressor.inflate(Array(whole.prefix(cut)))
            #expect(throws: FormatError.truncatedCompression(offset: cut)) { try decompressor.finish(sawInput: true) }
        }
        let decompressor = try GzipDecompressor()
        _ = try decompressor.inflate(whole)
        try decompressor.finish(sawInput: true)
        #expect(decompressor.offset == whole.count)
    }

    @Test func aFileCutInHalfIsReportedByTheReader() throws {
        let (whole, _) = try Self.members(2000)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-cut-\(UUID().uuidString).ndjson.gz")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(whole.prefix(whole.count / 2)).write(to: url)
        var stream = try ByteStream(path: url.path)
        var lines = 0
        #expect(throws: FormatError.truncatedCompression(offset: whole.count / 2)) {
            while try stream.nextLine() != nil { lines += 1 }
        }
        #expect(lines > 0)
    }
}
