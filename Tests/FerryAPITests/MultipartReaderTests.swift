@testable import FerryAPI
import Testing

@Suite("Multipart reader and byte ranges")
struct MultipartReaderTests {
    static let boundary = "XyZ"
    static let body = Array("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\ntags\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\nContent-Type: text/csv\r\n\r\nname\r\n--Xy not a boundary\r\n\r\n--XyZ--\r\n".utf8)

    /// Feeds the body in chunks of `size` and merges consecutive byte events.
    static func parse(chunk size: Int) throws -> [MultipartReader.Event] {
        var reader = MultipartReader(boundary: boundary)
        var events: [MultipartReader.Event] = []
        var index = 0
        while index < body.count {
            for event in try reader.feed(body[index..<min(body.count, index + size)]) {
                if case .bytes(let more) = event, case .bytes(let earlier)? = events.last {
                    events[events.count - 1] = .bytes(earlier + more)
                } else {
                    events.append(event)
                }
            }
            index += size
        }
        #expect(reader.isComplete)
        return events
    }

    @Test("parts come out the same whatever the chunking", arguments: [1, 2, 3, 7, 16, 1000])
    func chunking(size: Int) throws {
        let events = try Self.parse(chunk: size)
        #expect(events == [
            .partStart(name: "resource_type", filename: nil, contentType: nil), .bytes(Array("tags".utf8)), .partEnd,
            .partStart(name: "file", filename: "t.csv", contentType: "text/csv"),
            .bytes(Array("name\r\n--Xy not a boundary\r\n".utf8)), .partEnd,
        ])
    }

    @Test("the boundary comes from the Content-Type")
    func boundary() {
        #expect(MultipartReader.boundary(ofContentType: "multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(MultipartReader.boundary(ofContentType: "multipart/form-data; charset=utf-8; boundary=q") == "q")
        #expect(MultipartReader.boundary(ofContentType: "application/json") == nil)
        #expect(MultipartReader.boundary(ofContentType: "multipart/form-data") == nil)
    }

    @Test("a part without a name is an error, not a crash")
    func malformed() {
        var reader = MultipartReader(boundary: "b")
        #expect(throws: MultipartError.self) { try reader.feed(Array("--b\r\nContent-Type: x\r\n\r\nbody".utf8)) }
    }

    @Test("Range headers", arguments: [
        ("bytes=0-9", 100, Optional(Optional(0...9))), ("bytes=90-", 100, .some(.some(90...99))), ("bytes=-10", 100, .some(.some(90...99))),
        ("bytes=95-200", 100, .some(.some(95...99))), ("bytes=100-", 100, nil),
        ("bytes=5-2", 100, nil), ("bytes=0-1,5-6", 100, .some(nil)), ("items=0-1", 100, .some(nil)),
    ])
    func ranges(header: String, size: Int, expected: ClosedRange<Int>??) {
        #expect(AttachmentRoutes.byteRange(header, size: size) == expected)
    }
}
