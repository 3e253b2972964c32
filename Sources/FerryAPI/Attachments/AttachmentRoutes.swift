import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// `GET /attachments/{mode}/{kind}/{id}?expires=…&signature=…`: streams a job's gzip attachment
/// when its signed URL is intact and unexpired (else 403), with a `Content-Disposition` file
/// name that says the type, kind, format and id, and `Range` support (206/416).
struct AttachmentRoutes: Sendable {
    let services: FerryServices
    private let fileIO = FileIO()

    func register(on router: Router<FerryRequestContext>) {
        router.get("attachments/:mode/:kind/:id") { request, context in try await download(request, context) }
        router.head("attachments/:mode/:kind/:id") { request, context in try await download(request, context) }
    }

    func download(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let mode = DatasetMode(rawValue: try context.parameters.require("mode")),
              let kind = JobKind(rawValue: try context.parameters.require("kind")),
              let expires = query["expires"].flatMap({ Int64($0) }),
              let signature = query["signature"].map(String.init)
        else { throw APIError.forbidden("this attachment URL is incomplete; GET the job again for a fresh one") }
        let id = try context.parameters.require("id")
        guard services.attachments.isValid(mode: mode, kind: kind, id: id, expires: expires, signature: signature) else {
            throw APIError.forbidden("this attachment URL is expired or altered; GET the job again for a fresh one")
        }
        guard let job = try services.environment.dataset(mode).job(kind.resourceType, id: id) else { throw APIError.notFound(kind.rawValue, id: id) }
        let format = job.record["format"]?.stringValue ?? "json"
        let file = services.environment.directory.attachmentURL(mode: mode, kind: kind, id: id, format: format)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int else {
            throw APIError.notFound("attachments", id: id)
        }
        let type = job.record["resource_type"]?.stringValue ?? "records"
        var headers: HTTPFields = [
            .contentType: "application/gzip", .acceptRanges: "bytes",
            .contentDisposition: "attachment; filename=\"\(type)-\(kind == .export ? "export" : "import")-\(id).\(format).gz\"",
        ]
        var status = HTTPResponse.Status.ok
        var range = 0...max(0, size - 1)
        if let header = request.headers[.range], size > 0 {
            guard let requested = Self.byteRange(header, size: size) else { throw APIError.rangeNotSatisfiable(header, size: size) }
            if let requested {
                range = requested
                status = .partialContent
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            }
        }
        headers[.contentLength] = String(size == 0 ? 0 : range.count)
        if request.method == .head || size == 0 { return Response(status: status, headers: headers) }
        let body = try await fileIO.loadFile(path: file.path, range: range, context: context)
        return Response(status: status, headers: headers, body: body)
    }

    /// The byte range a `Range` header asks for: nil when it cannot be satisfied, `.some(nil)`
    /// when it is to be ignored (not a single `bytes` range), else the range.
    static func byteRange(_ header: String, size: Int) -> ClosedRange<Int>?? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return .some(nil) }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else { return .some(nil) }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int(last), suffix > 0 else { return nil }
            return .some(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int(first), start < size else { return nil }
        let end = last.isEmpty ? size - 1 : min(Int(last) ?? -1, size - 1)
        guard end >= start else { return nil }
        return .some(start...end)
    }
}
