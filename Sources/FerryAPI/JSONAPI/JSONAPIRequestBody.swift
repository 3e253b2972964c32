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

    /// Reads and checks the body of a request that must be a resource of `expectedType`.
    public static func read(_ request: Request, expectedType: String, maximumSize: Int = JSONAPIRequestBody.maximumSize) async throws -> JSONAPIRequestBody {
        let contentType = request.headers[.contentType]
        guard isJSON(contentType) else { throw APIError.unsupportedMediaType(contentType) }
        var request = request
        let buffer = try await request.collectBody(upTo: maximumSize)
        return try parse(Array(buffer.readableBytesView), expectedType: expectedType)
    }

    /// Parses and checks a body's bytes.
    public static func parse(_ bytes: [UInt8], expectedType: String) throws -> JSONAPIRequestBody {
        let document = try JSONParser.parse(bytes)
        guard case .object(let data)? = document["data"] else {
            throw APIError.badRequest("the body must be a JSON:API document with a 'data' object", pointer: "/data")
        }
        let object = JSONValue.object(data)
        guard let type = object["type"]?.stringValue else {
            throw APIError.badRequest("'data' needs a 'type' (\(expectedType))", pointer: "/data/type")
        }
        guard type == expectedType else {
            throw APIError(status: .conflict, code: "CONFLICT", title: "Type mismatch", detail: "'data.type' is '\(type)'; this endpoint takes \(expectedType)", pointer: "/data/type")
        }
        let attributes: [JSONMember]
        switch object["attributes"] {
        case nil, .null?: attributes = []
        case .object(let members)?: attributes = members
        default: throw APIError.badRequest("'data.attributes' must be an object", pointer: "/data/attributes")
        }
        return JSONAPIRequestBody(type: type, id: object["id"]?.stringValue, attributes: attributes)
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

    /// An array of strings (a comma-separated string is accepted too).
    public func strings(_ name: String) throws -> [String]? {
        switch self[name] {
        case nil, .null?: return nil
        case .string(let text)?:
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
