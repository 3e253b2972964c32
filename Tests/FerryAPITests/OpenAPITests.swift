import FerryAPI
import FerryCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The OpenAPI document", .timeLimit(.minutes(1)))
struct OpenAPITests {
    /// The package's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs the checker script with the tools' Python (installed by `make tools`, run by `make test`).
    static func check(spec: JSONValue, cases: [JSONValue]) async throws -> (status: Int32, output: String) {
        let python = root.appendingPathComponent(".build-tools/venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("the OpenAPI validator is not installed: run 'make tools' (make test does)")
            return (-1, "")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(spec.jsonText.utf8).write(to: folder.appendingPathComponent("spec.json"))
        try Data(JSONValue.array(cases).jsonText.utf8).write(to: folder.appendingPathComponent("cases.json"))
        let (status, output) = try await runProgram(python, [
            root.appendingPathComponent("Tests/FerryAPITests/openapi_check.py").path,
            folder.appendingPathComponent("spec.json").path, folder.appendingPathComponent("cases.json").path,
        ])
        return (status, String(decoding: output, as: UTF8.self))
    }

    @Test("/openapi.json is a valid OpenAPI 3.1 document and real answers match it")
    func document() async throws {
        let fixture = try await APIFixture(skus: 20)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let (spec, cases) = try await fixture.withApp(workers: fixture.pool()) { client -> (JSONValue, [JSONValue]) in
            let spec = try await client.call(.get, "/openapi.json", token: nil).json
            var cases: [JSONValue] = []
            func record(_ template: String, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String = "application/vnd.api+json", token: String? = token) async throws -> JSONValue {
                let answer = try await client.call(method, uri, token: token, body: body, contentType: contentType)
                cases.append(.object([
                    JSONMember("path", .string(template)), JSONMember("method", .string(method.rawValue.lowercased())),
                    JSONMember("status", .string(String(answer.status.code))), JSONMember("body", answer.json),
                ]))
                return answer.json
            }
            _ = try await record("/health", .get, "/health", token: nil)
            let export = try await record("/api/exports", .post, "/api/exports", body: ExportJobTests.createBody)
            let id = export.dataID
            _ = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            _ = try await record("/api/exports/{id}", .get, "/api/exports/\(id)?include=events,versions")
            _ = try await record("/api/exports", .get, "/api/exports?sort=-created_at&page[size]=5")
            _ = try await record("/api/exports/{id}/events", .get, "/api/exports/\(id)/events")
            _ = try await record("/api/exports/{id}/relationships/versions", .get, "/api/exports/\(id)/relationships/versions")
            _ = try await record("/api/exports/{id}", .patch, "/api/exports/\(id)", body: #"{"data":{"type":"exports","attributes":{"reference":"x"}}}"#)
            _ = try await record("/api/exports", .post, "/api/exports", body: #"{"data":{"type":"exports","attributes":{"resource_type":"skus","filters":{"colour_eq":"red"}}}}"#)
            _ = try await record("/api/exports", .post, "/api/exports", body: "{}", contentType: "text/plain")
            _ = try await record("/api/exports", .get, "/api/exports", token: nil)
            _ = try await record("/api/exports/{id}", .get, "/api/exports/missing")
            let imported = try await record("/api/imports", .post, "/api/imports", body: #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[{"name":"t1"}]}}}"#)
            _ = try await client.poll("/api/imports/\(imported.dataID)", token: token) { $0.attribute("status") == "completed" }
            _ = try await record("/api/imports/{id}", .get, "/api/imports/\(imported.dataID)")
            _ = try await record("/api/skus", .get, "/api/skus?include=prices.price_tiers,shipping_category&page[size]=3")
            _ = try await record("/api/prices/{id}", .get, "/api/prices/\(items(try await client.call(.get, "/api/prices", token: token).json)[0]["id"]!.stringValue!)")
            _ = try await record("/api/orders", .get, "/api/orders?filter[q][status_eq]=placed")
            _ = try await record("/api/skus", .get, "/api/skus?page[size]=26")
            _ = try await record("/api/webhooks", .post, "/api/webhooks", body: #"{"data":{"type":"webhooks","attributes":{"topic":"exports.complete","callback_url":"http://127.0.0.1:9/x"}}}"#)
            _ = try await record("/api/webhooks", .get, "/api/webhooks")
            _ = try await record("/api/pipeline_runs", .get, "/api/pipeline_runs")
            return (spec, cases)
        }
        #expect(spec["openapi"] == "3.1.0")
        let (status, output) = try await Self.check(spec: spec, cases: cases)
        #expect(status == 0, "\(output)")
        #expect(output.contains("\(cases.count) answers checked, 0 failures"))
    }

    @Test("every catalog type and every job endpoint is in the document")
    func coverage() {
        let spec = OpenAPIDocument.make()
        let paths = spec["paths"]?.objectMembers?.map(\.key) ?? []
        for type in ResourceCatalog.commerce.types {
            #expect(paths.contains("/api/\(type.name)") && paths.contains("/api/\(type.name)/{id}"), "\(type.name)")
        }
        for path in ["/api/exports", "/api/imports/{id}", "/api/exports/{id}/versions", "/api/webhooks/{id}", "/api/pipeline_runs", "/attachments/{mode}/{kind}/{id}", "/health"] {
            #expect(paths.contains(path), "\(path)")
        }
    }
}
