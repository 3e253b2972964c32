import FerryCore
import Hummingbird

/// A parsed JSON:API request body: `{"data": {"type": …, "id": …, "attributes": {…}}}`.
public struct JSONAPIRequestBody: Sendable {
    /// The resource type the body says.
    public var type: String
    /// The id the body says (updates).
    public var id: String?
    /// The attributes, in the order given.
    public var attributes: [JSONMember]

    /// The most a JSON body may hold; bigger inputs go as a multipart upload.
    public static let maximumSize = 64 << 20

    /// Whether a Content-Type is one the API reads as JSON.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let base = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return base == "application/vnd.api+json" || base == "application/json"
    }

    /// The most of a body over the limit that is read and thrown away so that a client which sends
    /// its whole body before reading sees the 413; past it the connection is closed.
    static let discardLimit = 1 << 30

    /// Reads and checks the body of a request that must be a resource of `expectedType`: a new one
    /// (`id` nil: the body may not name an id, the server gives it), or the one the URL names.
    public static func read(
        _ request: Request, expectedType: String, id: String? = nil, maximumSize: Int = JSONAPIRequestBody.maximumSize
    ) async throws -> JSONAPIRequestBody {
        let contentType = request.headers[.contentType]
        guard isJSON(contentType) else {
            try await discard(request.body)
            throw APIError.unsupportedMediaType(contentType)
        }
        return try parse(try await collect(request.body, upTo: maximumSize), expectedType: expectedType, id: id)
    }

    /// The bytes of a body of at most `maximumSize` bytes; a bigger one is read to its end (up to
    /// ``discardLimit``) and thrown away before the 413, so the client is listening when it comes.
    static func collect(_ body: RequestBody, upTo maximumSize: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        var received = 0
        for try await chunk in body {
            received += chunk.readableBytes
            if received <= maximumSize {
                bytes.append(contentsOf: chunk.readableBytesView)
            } else if received > discardLimit {
                break
            }
        }
        guard received <= maximumSize else { throw APIError.contentTooLarge(limit: maximumSize) }
        return bytes
    }

    /// Reads a body that will not be used to its end (up to ``discardLimit``).
    static func discard(_ body: RequestBody) async throws {
        var received = 0
        for try await chunk in body {
            received += chunk.readableBytes
            if received > discardLimit { break }
        }
    }

    /// The members a document may have at its top level, and in its `data`.
    static let documentMembers: Set<String> = ["data", "meta", "jsonapi", "links"]
    static let dataMembers: Set<String> = ["type", "id", "attributes", "relationships", "meta", "links"]

    /// Parses and checks a body's bytes: the whole document, not only what is read from it — a
    /// member JSON:API does not define, a type or id that is not a string, or attributes that are
    /// not an object are refused, and so is an id other than `id` (the one the URL names; nil for
    /// a new resource, which may not name one).
    public static func parse(_ bytes: [UInt8], expectedType: String, id expectedID: String? = nil) throws -> JSONAPIRequestBody {
        guard case .object(let members) = try JSONParser.parse(bytes) else {
            throw APIError.badRequest("the body must be a JSON:API document: an object with a 'data' object", pointer: "")
        }
        if let unknown = members.first(where: { !documentMembers.contains($0.key) }) {
            throw APIError.badRequest("'\(unknown.key)' is not a member of a JSON:API request document", pointer: "/\(unknown.key)")
        }
        guard case .object(let data)? = JSONValue.object(members)["data"] else {
            throw APIError.badRequest("the body must be a JSON:API document with a 'data' object", pointer: "/data")
        }
        if let unknown = data.first(where: { !dataMembers.contains($0.key) }) {
            throw APIError.badRequest("'\(unknown.key)' is not a member of a JSON:API resource object", pointer: "/data/\(unknown.key)")
        }
        let object = JSONValue.object(data)
        guard let type = object["type"]?.stringValue else {
            throw APIError.badRequest("'data' needs a 'type' string (\(expectedType))", pointer: "/data/type")
        }
        guard type == expectedType else {
            throw APIError(status: .conflict, code: "CONFLICT", title: "Type mismatch", detail: "'data.type' is '\(type)'; this endpoint takes \(expectedType)", pointer: "/data/type")
        }
        let id: String?
        switch object["id"] {
        case nil: id = nil
        case .string(let given)?:
            guard let expectedID else {
                throw APIError(status: .forbidden, code: "FORBIDDEN", title: "Forbidden", detail: "ids are given by the server; leave 'data.id' out", pointer: "/data/id")
            }
            guard given == expectedID else {
                throw APIError(status: .conflict, code: "CONFLICT", title: "Id mismatch", detail: "'data.id' is '\(given)', the URL names '\(expectedID)'", pointer: "/data/id")
            }
            id = given
        default:
            throw APIError.badRequest("'data.id' must be a string", pointer: "/data/id")
        }
        let attributes: [JSONMember]
        switch object["attributes"] {
        case nil: attributes = []
        case .object(let members)?: attributes = members
        default: throw APIError.badRequest("'data.attributes' must be an object", pointer: "/data/attributes")
        }
        if let relationships = object["relationships"], relationships.objectMembers == nil {
            throw APIError.badRequest("'data.relationships' must be an object", pointer: "/data/relationships")
        }
        return JSONAPIRequestBody(type: type, id: id, attributes: attributes)
    }

    /// The attribute's value, if given.
    public subscript(name: String) -> JSONValue? {
        attributes.first { $0.key == name }?.value
    }

    /// The pointer of an attribute.
    public static func pointer(_ name: String) -> String { "/data/attributes/\(name)" }

    /// A string attribute; null counts as absent.
    public func string(_ name: String) throws -> String? {
        switch self[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw APIError.validation("\(name) must be a string", pointer: Self.pointer(name))
        }
    }

    /// A boolean attribute.
    public func bool(_ name: String) throws -> Bool? {
        switch self[name] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        default: throw APIError.validation("\(name) must be true or false", pointer: Self.pointer(name))
        }
    }

    /// An object attribute.
    public func object(_ name: String) throws -> JSONValue? {
        switch self[name] {
        case nil, .null?: return nil
        case .object?: return self[name]
        default: throw APIError.validation("\(name) must be an object", pointer: Self.pointer(name))
        }
    }

    /// An array of strings (a comma-separated string is accepted too: names without blanks or
    /// empty items, as the OpenAPI document states; an empty string names none).
    public func strings(_ name: String) throws -> [String]? {
        switch self[name] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard !text.isEmpty else { return [] }
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !items.contains("") else {
                throw APIError.validation("\(name) is an array of strings or a comma-separated string without empty items", pointer: Self.pointer(name))
            }
            return items
        case .array(let items)?:
            return try items.enumerated().map { index, item in
                guard let s = item.stringValue else {
                    throw APIError.validation("\(name) must be an array of strings", pointer: "\(Self.pointer(name))/\(index)")
                }
                return s
            }
        default: throw APIError.validation("\(name) must be an array of strings", pointer: Self.pointer(name))
        }
    }

    /// Refuses attributes outside `allowed`.
    public func requireOnly(_ allowed: Set<String>, type: String) throws {
        if let unknown = attributes.first(where: { !allowed.contains($0.key) }) {
            throw APIError.validation(
                "'\(unknown.key)' is not an attribute \(type) accepts here; valid: \(allowed.sorted().joined(separator: ", "))",
                pointer: Self.pointer(unknown.key))
        }
    }
}
