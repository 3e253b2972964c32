/// A streaming `multipart/form-data` parser (RFC 7578): body chunks go in as they arrive, parts
/// come out as headers and body bytes, so an uploaded file never has to be held whole.
struct MultipartReader {
    /// What the parser found in the bytes given so far.
    enum Event: Equatable {
        /// A part begins: its form field name and, for a file, its file name.
        case partStart(name: String, filename: String?, contentType: String?)
        /// Bytes of the current part's body.
        case bytes([UInt8])
        /// The current part ended.
        case partEnd
    }

    private enum State { case preamble, headers, body, done }

    private let delimiter: [UInt8]
    private var buffer: [UInt8] = []
    private var state = State.preamble
    /// The most header bytes one part may have.
    private static let headerLimit = 16 << 10

    /// A parser for `boundary` (from the Content-Type's `boundary=` parameter).
    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The boundary of a `multipart/form-data` Content-Type, if it is one.
    static func boundary(ofContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = part.dropFirst("boundary=".count)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// Whether the closing boundary was seen.
    var isComplete: Bool { state == .done }

    /// Feeds bytes; returns what they completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws(MultipartError) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while true {
            switch state {
            case .done:
                buffer.removeAll()
                return events
            case .preamble:
                // The first boundary has no leading CRLF; match it as if it had one.
                let opening = Array(delimiter.dropFirst(2))
                guard let at = Self.find(opening, in: buffer, from: 0) else {
                    if buffer.count > Self.headerLimit { throw .malformed("no opening boundary") }
                    return events
                }
                guard buffer.count >= at + opening.count + 2 else { return events }
                buffer.removeSubrange(0..<(at + opening.count + 2))
                state = .headers
            case .headers:
                guard let end = Self.find(Array("\r\n\r\n".utf8), in: buffer, from: 0) else {
                    if buffer.count > Self.headerLimit { throw .malformed("part headers longer than \(Self.headerLimit) bytes") }
                    return events
                }
                guard let text = String(validating: buffer[0..<end], as: UTF8.self) else { throw .malformed("part headers that are not valid UTF-8") }
                buffer.removeSubrange(0..<(end + 4))
                events.append(try Self.partStart(headers: text))
                state = .body
            case .body:
                if let at = Self.find(delimiter, in: buffer, from: 0) {
                    guard buffer.count >= at + delimiter.count + 2 else { return events }
                    if at > 0 { events.append(.bytes(Array(buffer[0..<at]))) }
                    events.append(.partEnd)
                    let after = buffer[(at + delimiter.count)..<(at + delimiter.count + 2)]
                    buffer.removeSubrange(0..<(at + delimiter.count + 2))
                    if after.elementsEqual("--".utf8) {
                        state = .done
                    } else if after.elementsEqual("\r\n".utf8) {
                        state = .headers
                    } else {
                        throw .malformed("a boundary is followed by neither CRLF nor --")
                    }
                } else {
                    // Keep a tail that could be the start of a boundary split across chunks.
                    let keep = min(buffer.count, delimiter.count + 1)
                    if buffer.count > keep {
                        events.append(.bytes(Array(buffer[0..<(buffer.count - keep)])))
                        buffer.removeSubrange(0..<(buffer.count - keep))
                    }
                    return events
                }
            }
        }
    }

    private static func partStart(headers: String) throws(MultipartError) -> Event {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { contentType = value }
            guard field == "content-disposition" else { continue }
            for parameter in value.split(separator: ";").dropFirst() {
                let pair = parameter.trimmingCharacters(in: .whitespaces)
                guard let eq = pair.firstIndex(of: "=") else { continue }
                var text = pair[pair.index(after: eq)...]
                if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
                switch pair[..<eq].lowercased() {
                case "name": name = String(text)
                case "filename": filename = String(text)
                default: break
                }
            }
        }
        guard let name else { throw .malformed("a part has no Content-Disposition name") }
        return .partStart(name: name, filename: filename, contentType: contentType)
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}

/// A multipart body that cannot be parsed.
enum MultipartError: Error, CustomStringConvertible {
    case malformed(String)

    var description: String {
        switch self {
        case .malformed(let reason): return "malformed multipart/form-data body: \(reason)"
        }
    }
}
