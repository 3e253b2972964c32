import FerryCore
import Hummingbird

/// An error the API answers with: a JSON:API error document (SPEC §7) with a status, a code,
/// a title, a detail and, where one attribute or parameter is at fault, its `source`.
///
/// Every failure reaches the client as one of these: ``APIError/init(_:)`` maps any other
/// error in one place, and ``JSONAPIErrorMiddleware`` renders whatever a route throws.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The error code (`VALIDATION_ERROR`, `RECORD_NOT_FOUND`, …).
    public var code: String
    /// A short, fixed summary of the kind of error.
    public var title: String
    /// What went wrong in this request and how to fix it.
    public var detail: String
    /// The JSON pointer of the attribute at fault (`/data/attributes/filters/colour_eq`).
    public var pointer: String?
    /// The query parameter at fault (`page[size]`).
    public var parameter: String?
    /// Commerce Layer's `meta` of the error: `error` (the kind of check that failed, as `blank`,
    /// `invalid` or `greater_than`), and `value` and `count` where they apply. Its CLI reads it;
    /// every 422 has one.
    public var meta: [JSONMember]

    /// Creates an error.
    public init(
        status: HTTPResponse.Status, code: String, title: String, detail: String, pointer: String? = nil, parameter: String? = nil,
        meta: [JSONMember] = []
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.pointer = pointer
        self.parameter = parameter
        self.meta = meta
    }

    /// 422: an attribute of the request body is invalid; `error` says which kind of check failed
    /// (Commerce Layer's `meta.error`), `value` the value refused.
    public static func validation(_ detail: String, pointer: String, error: String = "invalid", value: JSONValue? = nil, count: Int? = nil) -> APIError {
        var meta = [JSONMember("error", .string(error))]
        if let value { meta.append(JSONMember("value", value)) }
        if let count { meta.append(JSONMember("count", .int(Int64(count)))) }
        return APIError(status: .unprocessableContent, code: "VALIDATION_ERROR", title: "is invalid", detail: detail, pointer: pointer, meta: meta)
    }

    /// 405: the path is known, the method is not one it answers.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        APIError(
            status: .methodNotAllowed, code: "METHOD_NOT_ALLOWED", title: "Method not allowed",
            detail: "\(method) is not allowed here; allowed: \(allowed.map(\.rawValue).joined(separator: ", "))")
    }

    /// 413: the body is over the most the endpoint reads.
    public static func contentTooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, code: "CONTENT_TOO_LARGE", title: "Content too large",
            detail: "the body is over the \(limit) bytes this endpoint reads; upload big inputs as multipart/form-data")
    }

    /// 500 for an error that is not the client's: nothing of it reaches the answer.
    public static var internalError: APIError {
        APIError(status: .internalServerError, code: "INTERNAL_SERVER_ERROR", title: "Internal server error", detail: "the server could not answer this request")
    }

    /// 400: the request cannot be understood.
    public static func badRequest(_ detail: String, parameter: String? = nil, pointer: String? = nil) -> APIError {
        APIError(status: .badRequest, code: "BAD_REQUEST", title: "Bad request", detail: detail, pointer: pointer, parameter: parameter)
    }

    /// 401: no token.
    public static func unauthorized(_ detail: String) -> APIError {
        APIError(status: .unauthorized, code: "UNAUTHORIZED", title: "Unauthorized", detail: detail)
    }

    /// 401: a token that is malformed, forged or expired.
    public static func invalidToken(_ detail: String) -> APIError {
        APIError(status: .unauthorized, code: "INVALID_TOKEN", title: "Invalid token", detail: detail)
    }

    /// 403.
    public static func forbidden(_ detail: String) -> APIError {
        APIError(status: .forbidden, code: "FORBIDDEN", title: "Forbidden", detail: detail)
    }

    /// 404 for a record of a type.
    public static func notFound(_ type: String, id: String) -> APIError {
        APIError(status: .notFound, code: "RECORD_NOT_FOUND", title: "Record not found", detail: "no \(type) with id '\(id)' in this mode")
    }

    /// 404 for a path.
    public static func routeNotFound(_ path: String) -> APIError {
        APIError(status: .notFound, code: "NOT_FOUND", title: "Not found", detail: "no route for \(path)")
    }

    /// 415.
    public static func unsupportedMediaType(_ given: String?) -> APIError {
        APIError(
            status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", title: "Unsupported media type",
            detail: "send application/vnd.api+json or application/json (got \(given ?? "no Content-Type"))")
    }

    /// 416 for a `Range` the attachment cannot satisfy.
    public static func rangeNotSatisfiable(_ range: String, size: Int) -> APIError {
        APIError(status: .rangeNotSatisfiable, code: "RANGE_NOT_SATISFIABLE", title: "Range not satisfiable", detail: "'\(range)' is outside the \(size) bytes of the file")
    }

    public var description: String { "\(status.code) \(code): \(detail)" }

    /// The JSON:API error document.
    public var document: JSONValue {
        var error: [JSONMember] = [
            JSONMember("title", .string(title)), JSONMember("detail", .string(detail)), JSONMember("code", .string(code)),
            JSONMember("status", .string(String(status.code))),
        ]
        var source: [JSONMember] = []
        if let pointer { source.append(JSONMember("pointer", .string(pointer))) }
        if let parameter { source.append(JSONMember("parameter", .string(parameter))) }
        if !source.isEmpty { error.append(JSONMember("source", .object(source))) }
        if !meta.isEmpty { error.append(JSONMember("meta", .object(meta))) }
        return .object([JSONMember("errors", .array([.object(error)]))])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONAPIResponse.make(status: status, document: document)
    }
}
