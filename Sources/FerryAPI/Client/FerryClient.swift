import AsyncHTTPClient
import FerryCore
import Foundation
import NIOCore
import NIOHTTP1

/// A client of a Ferry server's `/api/exports` and `/api/imports` (what `ferry export --server`,
/// `ferry import --server` and `ferry jobs --server` use): create a job, follow it, download its
/// attachment.
public final class FerryClient: Sendable {
    /// The server's base URL, without a trailing slash.
    public let server: String
    private let token: String
    private let http: HTTPClient

    /// A client of `server` authenticating with `token`.
    public init(server: String, token: String) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
        self.http = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    /// Releases the connections; call once done.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// A job as the server last showed it.
    public struct Job: Sendable {
        /// Its kind.
        public var kind: JobKind
        /// Its resource object.
        public var resource: JSONValue

        /// Its id.
        public var id: String { resource["id"]?.stringValue ?? "" }
        /// An attribute.
        public func attribute(_ name: String) -> JSONValue? { resource["attributes"]?[name] }
        /// Its status.
        public var status: JobStatus { attribute("status")?.stringValue.flatMap(JobStatus.init(rawValue:)) ?? .pending }
        /// Records handled so far.
        public var processed: Int { Int(attribute("processed_count").flatMap(Self.number) ?? 0) }
        /// Records in all, when known.
        public var total: Int? { attribute(kind == .export ? "records_count" : "inputs_size").flatMap(Self.number).map(Int.init) }

        /// A JSON number as a `Double`.
        public static func number(_ value: JSONValue) -> Double? {
            switch value {
            case .int(let n): return Double(n)
            case .double(let d): return d
            default: return nil
            }
        }
    }

    /// Creates an export from its attributes.
    public func createExport(_ attributes: [JSONMember]) async throws -> Job {
        let body = JSONValue.object([JSONMember("data", .object([JSONMember("type", "exports"), JSONMember("attributes", .object(attributes))]))])
        return Job(kind: .export, resource: try await send(.POST, "/api/exports", body: .bytes(ByteBuffer(string: body.jsonText)), contentType: JSONAPIResponse.mediaType)["data"] ?? .null)
    }

    /// Creates an import by uploading a file (gzip or plain) as `multipart/form-data`, streamed
    /// from disk; `fields` are the other attributes.
    public func createImport(file: String, fields: [(String, String)]) async throws -> Job {
        let boundary = "ferry-\(UInt64.random(in: 0...UInt64.max))"
        var head = ""
        for (name, value) in fields {
            head += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        let name = URL(fileURLWithPath: file).lastPathComponent
        head += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        let tail = "\r\n--\(boundary)--\r\n"
        let size = try (FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let chunks = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            continuation.yield(ByteBuffer(string: head))
            do {
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
                defer { try? handle.close() }
                while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                    continuation.yield(ByteBuffer(bytes: data))
                }
                continuation.yield(ByteBuffer(string: tail))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let length = head.utf8.count + size + tail.utf8.count
        let document = try await send(.POST, "/api/imports", body: .stream(chunks, length: .known(Int64(length))), contentType: "multipart/form-data; boundary=\(boundary)")
        return Job(kind: .import, resource: document["data"] ?? .null)
    }

    /// The job as the server shows it now.
    public func job(_ kind: JobKind, id: String) async throws -> Job {
        Job(kind: kind, resource: try await send(.GET, "/api/\(kind.rawValue)/\(id)")["data"] ?? .null)
    }

    /// Polls a job until it stops running, calling `progress` with each view of it.
    public func wait(for job: Job, every interval: Duration = .milliseconds(250), progress: (Job) -> Void) async throws -> Job {
        var current = job
        while current.status == .pending || current.status == .inProgress {
            progress(current)
            try await Task.sleep(for: interval)
            current = try await self.job(job.kind, id: job.id)
        }
        progress(current)
        return current
    }

    /// The most recent jobs of a kind, newest first.
    public func recent(_ kind: JobKind, limit: Int) async throws -> [Job] {
        let document = try await send(.GET, "/api/\(kind.rawValue)?sort=-created_at&page%5Bsize%5D=\(min(limit, 25))")
        guard case .array(let items)? = document["data"] else { return [] }
        return items.map { Job(kind: kind, resource: $0) }
    }

    /// Downloads a job's attachment to `path`, unpacking the gzip unless the path ends in `.gz`;
    /// returns the bytes written.
    public func download(_ job: Job, to path: String) async throws -> Int {
        guard let url = job.attribute("attachment_url")?.stringValue else {
            throw FerryClientError(status: 0, detail: "the \(job.kind.resourceType.singular) \(job.id) has no attachment")
        }
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .hours(1))
        guard response.status == .ok else {
            throw FerryClientError(status: Int(response.status.code), detail: "the attachment download answered \(response.status.code)")
        }
        let inflater = path.hasSuffix(".gz") ? nil : try GzipDecompressor()
        // A file is written beside the output and renamed onto it once complete, as a local
        // export's is: a download cut short leaves the file that was there.
        let partial = path + ".partial"
        let output: FileHandle
        if path == "-" {
            output = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: partial, contents: nil) else {
                throw FerryClientError(status: 0, detail: "cannot write \(partial)")
            }
            output = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
        }
        var closed = false
        defer { if path != "-" && !closed { try? output.close() } }
        var written = 0
        var sawInput = false
        for try await chunk in response.body {
            let bytes = Array(chunk.readableBytesView)
            sawInput = sawInput || !bytes.isEmpty
            let out = try inflater?.inflate(bytes) ?? bytes
            try output.write(contentsOf: out)
            written += out.count
        }
        try inflater?.finish(sawInput: sawInput)
        if path != "-" {
            try output.synchronize()
            try output.close()
            closed = true
            guard rename(partial, path) == 0 else {
                throw FerryClientError(status: 0, detail: "cannot rename \(partial) to \(path): \(String(cString: strerror(errno)))")
            }
        }
        return written
    }

    private func send(_ method: HTTPMethod, _ path: String, body: HTTPClientRequest.Body? = nil, contentType: String? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: JSONAPIResponse.mediaType)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = body }
        let response = try await http.execute(request, timeout: .minutes(10))
        let bytes = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        let document = bytes.isEmpty ? JSONValue.null : try JSONParser.parse(bytes)
        guard (200..<300).contains(response.status.code) else {
            let detail = (document["errors"].flatMap { if case .array(let e) = $0 { return e.first } else { return nil } })
            throw FerryClientError(
                status: Int(response.status.code), detail: detail?["detail"]?.stringValue ?? "the server answered \(response.status.code)",
                pointer: detail?["source"]?["pointer"]?.stringValue ?? detail?["source"]?["parameter"]?.stringValue)
        }
        return document
    }
}

/// An error answer of a Ferry server, as the client reports it.
public struct FerryClientError: Error, CustomStringConvertible {
    /// The HTTP status (0 when no request was made).
    public var status: Int
    /// The error's detail.
    public var detail: String
    /// The attribute or parameter at fault.
    public var pointer: String?

    public var description: String {
        (status > 0 ? "the server answered \(status): " : "") + detail + (pointer.map { " (at \($0))" } ?? "")
    }
}
