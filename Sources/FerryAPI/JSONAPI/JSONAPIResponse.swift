import FerryCore
import Hummingbird

/// Responses in the JSON:API media type.
public enum JSONAPIResponse {
    /// The media type of every answer.
    public static let mediaType = "application/vnd.api+json"

    /// A response carrying a JSON document, written with Ferry's own encoder.
    public static func make(status: HTTPResponse.Status, document: JSONValue, headers: HTTPFields = [:]) -> Response {
        var writer = JSONWriter(capacity: 1024)
        writer.write(document)
        var fields = headers
        if fields[.contentType] == nil { fields[.contentType] = mediaType }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// 204 No Content.
    public static func noContent() -> Response {
        Response(status: .noContent)
    }
}
