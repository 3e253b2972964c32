import FerryAPI
import FerryCore
import FerryStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What a client written for Commerce Layer's API, or a hostile one, relies on: statuses, the
/// shape of every answer, and a server that stays up.
@Suite("Commerce Layer wire compatibility", .timeLimit(.minutes(1)))
struct WireCompatibilityTests {
    static let export = #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#

    @Test("a body over the limit is a 413 JSON:API error, which a client that sends its whole body first still reads")
    func bodyOverTheLimit() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(live: true) { client in
            let port = try #require(client.port)
            let created = try await client.call(.post, "/api/exports", token: token, body: Self.export)
            // 3 MiB of attributes to an endpoint that reads at most 1 MiB, all sent before reading.
            let padding = String(repeating: "x", count: 3 << 20)
            let body = Array(#"{"data":{"type":"exports","id":"\#(created.json.dataID)","attributes":{"reference":"\#(padding)"}}}"#.utf8)
            let head = "PATCH /api/exports/\(created.json.dataID) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/vnd.api+json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            let answer = try await RawHTTPExchange.send(Array(head.utf8) + body, port: port)
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
            #expect(answer.contains("CONTENT_TOO_LARGE"))
            #expect(!answer.contains("NIO"), "no internal error text")
            // The server is still up.
            #expect(try await client.call(.get, "/api/exports/\(created.json.dataID)", token: token).status == .ok)
        }
    }

    @Test("an error that is not the client's answers a generic 500; a body limit from the server library a 413")
    func internalErrorsStayInside() {
        struct Leaky: Error, CustomStringConvertible { var description: String { "SQLITE_CORRUPT at /var/lib/ferry/test.sqlite in Dataset.swift" } }
        let generic = APIError(Leaky())
        #expect(generic.status == .internalServerError)
        #expect(!generic.document.jsonText.contains("SQLITE") && !generic.document.jsonText.contains("/var/lib") && !generic.document.jsonText.contains("Leaky"))
        let tooBig = APIError(NIOTooManyBytesError(maxBytes: 10))
        #expect(tooBig.status == .contentTooLarge)
        #expect(tooBig.code == "CONTENT_TOO_LARGE")
        #expect(!tooBig.document.jsonText.contains("NIO"))
    }

    @Test("a method its path does not declare is a 405 with Allow; an unknown path stays a 404")
    func undeclaredMethods() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            for method in [HTTPRequest.Method.put, .options, HTTPRequest.Method(rawValue: "TRACE")!, .delete, .patch] {
                let answer = try await client.call(method, "/api/exports", token: token)
                #expect(answer.status == .methodNotAllowed, "\(method)")
                #expect(answer.json.error("code") == "METHOD_NOT_ALLOWED")
                let allow = Set((answer.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(allow.isSuperset(of: ["GET", "POST"]) && !allow.contains(method.rawValue), "\(allow)")
            }
            let item = try await client.call(.put, "/api/exports/anything", token: token)
            #expect(item.status == .methodNotAllowed)
            let allow = Set((item.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allow.isSuperset(of: ["GET", "PATCH", "DELETE"]), "\(allow)")
            #expect(try await client.call(.post, "/health", token: nil).status == .methodNotAllowed)
            #expect(try await client.call(.get, "/api/exports/a/b/c/d", token: token).status == .notFound)
            #expect(try await client.call(.get, "/nowhere", token: token).status == .notFound)
        }
    }

    @Test("a request document is validated whole: members, type, id (a string, the URL's), attributes", arguments: [
        (#"{"data":{"id":{}}}"#, 400, "/data/type"),
        (#"{"data":{"type":"exports","id":{}}}"#, 400, "/data/id"),
        (#"{"data":{"type":"exports","id":7,"attributes":{}}}"#, 400, "/data/id"),
        (#"{"data":{"type":"exports","id":"someone-else","attributes":{}}}"#, 409, "/data/id"),
        (#"{"data":{"type":"exports","attributes":null}}"#, 400, "/data/attributes"),
        (#"{"data":{"type":"exports","attributes":[]}}"#, 400, "/data/attributes"),
        (#"{"data":{"type":"exports","colour":"red","attributes":{}}}"#, 400, "/data/colour"),
        (#"{"data":{"type":"exports","attributes":{}},"extra":1}"#, 400, "/extra"),
        (#"{"data":{"type":"exports","attributes":{},"relationships":5}}"#, 400, "/data/relationships"),
        (#"[1]"#, 400, ""),
    ])
    func wholeDocuments(body: String, status: Int, pointer: String) async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let id = try await client.call(.post, "/api/exports", token: token, body: Self.export).json.dataID
            let answer = try await client.call(.patch, "/api/exports/\(id)", token: token, body: body)
            #expect(answer.status.code == status, "\(body): \(answer.json.jsonText)")
            #expect(answer.json.error("source")?["pointer"]?.stringValue == pointer)
            #expect(try await client.call(.get, "/api/exports/\(id)", token: token).json.attribute("reference") == .null, "nothing was changed")
            // Creating: the server gives ids.
            let named = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","id":"mine","attributes":{"resource_type":"skus"}}}"#)
            #expect(named.status == .forbidden)
            #expect(named.json.error("source")?["pointer"] == "/data/id")
        }
    }

    @Test("a webhook update names its own id or none")
    func webhookIDs() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let hook = try await client.call(.post, "/api/webhooks", token: token, body: #"{"data":{"type":"webhooks","attributes":{"topic":"exports.complete","callback_url":"http://127.0.0.1:9/x"}}}"#)
            #expect(hook.status == .created)
            let other = try await client.call(.patch, "/api/webhooks/\(hook.json.dataID)", token: token, body: #"{"data":{"type":"webhooks","id":"other","attributes":{"name":"n"}}}"#)
            #expect(other.status == .conflict)
            let own = try await client.call(.patch, "/api/webhooks/\(hook.json.dataID)", token: token, body: #"{"data":{"type":"webhooks","id":"\#(hook.json.dataID)","attributes":{"name":"n"}}}"#)
            #expect(own.status == .ok)
        }
    }

    /// The object and array attributes of `resource`, which must never be null.
    static func nullShapes(_ resource: JSONValue?, objects: [String], arrays: [String]) -> [String] {
        var wrong: [String] = []
        for name in objects where resource?["attributes"]?[name]?.objectMembers == nil { wrong.append(name) }
        for name in arrays {
            guard case .array? = resource?["attributes"]?[name] else { wrong.append(name); continue }
        }
        return wrong
    }

    @Test("object attributes are {} and array attributes [] when empty, on create, retrieve, list and update")
    func neverNull() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let exportObjects = ["metadata", "filters", "errors_log"], exportArrays = ["includes", "fields"]
            let created = try await client.call(.post, "/api/exports", token: token, body: Self.export)
            let id = created.json.dataID
            #expect(Self.nullShapes(created.json["data"], objects: exportObjects, arrays: exportArrays) == [])
            #expect(Self.nullShapes(try await client.call(.get, "/api/exports/\(id)", token: token).json["data"], objects: exportObjects, arrays: exportArrays) == [])
            for item in items(try await client.call(.get, "/api/exports", token: token).json) {
                #expect(Self.nullShapes(item, objects: exportObjects, arrays: exportArrays) == [])
            }
            let updated = try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","id":"\#(id)","attributes":{"reference":"r"}}}"#)
            #expect(Self.nullShapes(updated.json["data"], objects: exportObjects, arrays: exportArrays) == [])

            let importObjects = ["metadata", "errors_log", "warnings_log"]
            let imported = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[{"name":"a"}]}}}"#)
            #expect(Self.nullShapes(imported.json["data"], objects: importObjects, arrays: ["inputs"]) == [])
            #expect(Self.nullShapes(try await client.call(.get, "/api/imports/\(imported.json.dataID)", token: token).json["data"], objects: importObjects, arrays: ["inputs"]) == [])
            // Resources too: a SKU without metadata.
            let sku = items(try await client.call(.get, "/api/skus?page[size]=1", token: token).json).first
            #expect(Self.nullShapes(sku, objects: ["metadata"], arrays: []) == [])
        }
    }

    @Test("an import answers with its inputs, as Commerce Layer's schema requires, up to 10,000; fields[imports] can leave them out")
    func importInputs() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let given: JSONValue = [["name": "a"], ["name": "b", "metadata": ["k": 1]]]
            let json = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":\#(given.jsonText)}}}"#)
            #expect(json.status == .created)
            #expect(json.json.attribute("inputs") == given)
            let id = json.json.dataID
            #expect(try await client.call(.get, "/api/imports/\(id)", token: token).json.attribute("inputs") == given)
            #expect(items(try await client.call(.get, "/api/imports", token: token).json).first?["attributes"]?["inputs"] == given)
            let sparse = try await client.call(.get, "/api/imports/\(id)?fields[imports]=status", token: token).json
            #expect(sparse.attribute("inputs") == nil)
            #expect(try await client.call(.get, "/api/imports/\(id)?fields[imports]=inputs", token: token).json.attribute("inputs") == given)

            let csv = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","format":"csv","inputs":"name\nred\nblue\n"}}}"#)
            #expect(csv.json.attribute("inputs") == [["name": "red"], ["name": "blue"]])

            let many = (0...10_000).map { #"{"name":"t\#($0)"}"# }.joined(separator: "\n")
            let big = try await client.call(.post, "/api/imports", token: token, body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","format":"ndjson","inputs":\#(JSONValue.string(many).jsonText)}}}"#)
            #expect(big.status == .created)
            #expect(big.json.attribute("inputs") == .array([]))
            #expect(big.json["data"]?["meta"]?["inputs"]?.stringValue?.contains("attachment_url") == true)
        }
    }

    @Test("an export with nothing to export is a 422 with Commerce Layer's meta; every 422 has meta.error")
    func zeroRecordExport() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let none = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","attributes":{"resource_type":"skus","filters":{"code_eq":"NO-SUCH-SKU"}}}}"#)
            #expect(none.status == .unprocessableContent)
            #expect(none.json.error("source")?["pointer"] == "/data/attributes/records_count")
            #expect(none.json.error("meta") == ["error": "greater_than", "value": 0, "count": 0])
            #expect(try fixture.dataset().jobs(JobTypes.exports, offset: 0, limit: 10).total == 0, "nothing was queued")
            let invalid = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","attributes":{"resource_type":"colours"}}}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.json.error("meta")?["error"]?.stringValue != nil)
        }
    }
}
