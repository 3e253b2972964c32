import FerryAPI
import FerryCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The query grammar the OpenAPI document states (issue 14 point 16) is the one the server
/// applies: what the document's patterns allow the server accepts, what they refuse it refuses.
@Suite("Query grammar: the document and the server agree", .timeLimit(.minutes(1)))
struct QueryGrammarTests {
    /// The document's schema of a query parameter of an operation.
    static func parameterSchema(_ spec: JSONValue, path: String, name: String) -> JSONValue? {
        guard case .array(let parameters)? = spec["paths"]?[path]?["get"]?["parameters"] else { return nil }
        return parameters.first { $0["name"]?.stringValue == name }?["schema"]
    }

    /// Whether `value` matches a document pattern (ECMA/Python syntax NSRegularExpression reads alike).
    static func matches(_ pattern: String, _ value: String) throws -> Bool {
        let expression = try NSRegularExpression(pattern: pattern)
        return expression.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    /// Whether some pattern of a filter schema's `patternProperties` matches `key`.
    static func filterKeyMatches(_ spec: JSONValue, type: String, key: String) throws -> Bool {
        let patterns = spec["components"]?["schemas"]?["\(type)_filter_query"]?["patternProperties"]?.objectMembers ?? []
        return try patterns.contains { try matches($0.key, key) }
    }

    @Test("include, sort and fields[…] are strict comma lists: an empty item, a blank or an empty dotted part is a 400 the document's patterns refuse too")
    func strictLists() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let spec = OpenAPIDocument.make()
        let include = try #require(Self.parameterSchema(spec, path: "/api/skus", name: "include")?["pattern"]?.stringValue)
        let sort = try #require(Self.parameterSchema(spec, path: "/api/skus", name: "sort")?["pattern"]?.stringValue)
        let fields = try #require(Self.parameterSchema(spec, path: "/api/skus", name: "fields[skus]")?["pattern"]?.stringValue)
        let accepted: [(String, String, String)] = [
            ("include", include, "prices.price_tiers,shipping_category"), ("include", include, ""), ("sort", sort, "-code,created_at"),
            ("sort", sort, ""), ("fields[skus]", fields, "code,name,prices"), ("fields[skus]", fields, ""),
        ]
        let refused: [(String, String, String)] = [
            ("include", include, "prices,,stock_items"), ("include", include, "prices..price_tiers"), ("include", include, "prices, stock_items"),
            ("include", include, "prices,"), ("sort", sort, "code,"), ("sort", sort, "-code, name"), ("fields[skus]", fields, "code,,name"),
            ("fields[skus]", fields, "code,_content_hash"),
        ]
        try await fixture.withApp { client in
            for (name, pattern, value) in accepted {
                #expect(try Self.matches(pattern, value), "\(name)=\(value) matches the document")
                let answer = try await client.call(.get, "/api/skus?\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)", token: token)
                #expect(answer.status == .ok, "\(name)=\(value): \(answer.json)")
            }
            for (name, pattern, value) in refused {
                #expect(try !Self.matches(pattern, value), "\(name)=\(value) does not match the document")
                let answer = try await client.call(.get, "/api/skus?\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)", token: token)
                #expect(answer.status == .badRequest, "\(name)=\(value): \(answer.status)")
                #expect(answer.json.error("source")?["parameter"]?.stringValue == name)
            }
        }
    }

    @Test("fields[…] names only a type the answer can hold, and a retrieve takes no page, sort or filter")
    func fieldsTypesAndRetrieve() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let spec = OpenAPIDocument.make()
        #expect(Self.parameterSchema(spec, path: "/api/skus", name: "fields[prices]") != nil, "a type include= reaches")
        #expect(Self.parameterSchema(spec, path: "/api/skus", name: "fields[bogus]") == nil)
        #expect(Self.parameterSchema(spec, path: "/api/skus/{id}", name: "page[size]") == nil)
        try await fixture.withApp { client in
            #expect(try await client.call(.get, "/api/skus?include=prices&fields[prices]=amount_cents", token: token).status == .ok)
            let bogus = try await client.call(.get, "/api/skus?fields[bogus]=x", token: token)
            #expect(bogus.status == .badRequest)
            #expect(bogus.json.error("source")?["parameter"] == "fields[bogus]")
            #expect(try await client.call(.get, "/api/exports?fields[exports]=attachment_url", token: token).status == .ok)
            #expect(try await client.call(.get, "/api/skus?fields[skus]=attachment_url", token: token).status == .badRequest, "only jobs have an attachment")
            let id = try #require(items(try await client.call(.get, "/api/skus", token: token).json).first?["id"]?.stringValue)
            #expect(try await client.call(.get, "/api/skus/\(id)?fields[skus]=code", token: token).status == .ok)
            for query in ["page[size]=5", "sort=code", "filter[q][code_eq]=x"] {
                let answer = try await client.call(.get, "/api/skus/\(id)?\(query)", token: token)
                #expect(answer.status == .badRequest, "\(query)")
            }
        }
    }

    @Test("a query is decoded as forms are: '+' is a space, and invalid percent-encoding is a 400 naming the parameter")
    func formDecoding() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let names = items(try await client.call(.get, "/api/skus?page[size]=25", token: token).json).compactMap { $0["attributes"]?["name"]?.stringValue }
            let name = try #require(names.first { $0.contains(" ") }, "a seeded name with a space: \(names)")
            let plus = name.replacingOccurrences(of: " ", with: "+").addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "+")))!
            let found = try await client.call(.get, "/api/skus?filter[q][name_eq]=\(plus)", token: token)
            #expect(found.status == .ok)
            #expect(found.json["meta"]?["record_count"] != .int(0), "'+' read as a space finds '\(name)'")
            let invalid = try await client.call(.get, "/api/skus?filter[q][name_eq]=%FF%FE", token: token)
            #expect(invalid.status == .badRequest)
            #expect(invalid.json.error("source")?["parameter"] == "filter[q][name_eq]")
        }
    }

    @Test("filter[q] keys: the document's key patterns take own attributes, belongs-to paths and _or_ lists of one type, as the server does")
    func filterKeys() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let spec = OpenAPIDocument.make()
        let accepted = ["code_eq=SKU", "code_or_name_cont=a", "shipping_category_code_eq=x", "shipping_category_id_null=true", "created_at_gteq=2020-02-29T10:00:00Z"]
        let refused = ["bogus_eq=x", "code_bogus=x", "code_or_created_at_eq=x", "created_at_gteq=2021-02-29", "code_true=1"]
        try await fixture.withApp { client in
            for filter in accepted {
                let key = String(filter.split(separator: "=")[0])
                #expect(try Self.filterKeyMatches(spec, type: "skus", key: key), "\(key) matches the document")
                let answer = try await client.call(.get, "/api/skus?filter[q][\(key)]=\(filter.split(separator: "=")[1].addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: token)
                #expect(answer.status == .ok, "\(filter): \(answer.json)")
            }
            for filter in refused {
                let key = String(filter.split(separator: "=")[0])
                let answer = try await client.call(.get, "/api/skus?filter[q][\(key)]=\(filter.split(separator: "=")[1])", token: token)
                #expect(answer.status == .badRequest, "\(filter)")
            }
            for key in ["bogus_eq", "code_bogus", "code_or_created_at_eq", "code_true"] {
                #expect(try !Self.filterKeyMatches(spec, type: "skus", key: key), "\(key) is not in the document")
            }
        }
        // The datetime operand's pattern refuses the day that does not exist, as the server does.
        let created = try #require(spec["components"]?["schemas"]?["skus_filter_query"]?["patternProperties"]?.objectMembers?.first {
            (try? Self.matches($0.key, "created_at_gteq")) == true
        }?.value["pattern"]?.stringValue)
        #expect(try Self.matches(created, "2020-02-29T10:00:00Z") && Self.matches(created, "2024-12-31") && !Self.matches(created, "2021-02-29"))
    }

    @Test("only the import endpoint takes a multipart upload; an export's comma-string includes have no empty item")
    func bodies() async throws {
        let spec = OpenAPIDocument.make()
        let exports = spec["paths"]?["/api/exports"]?["post"]?["requestBody"]?["content"]?.objectMembers?.map(\.key) ?? []
        let imports = spec["paths"]?["/api/imports"]?["post"]?["requestBody"]?["content"]?.objectMembers?.map(\.key) ?? []
        #expect(!exports.contains("multipart/form-data"), "\(exports)")
        #expect(imports.contains("multipart/form-data"))
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let body = #"{"data":{"type":"exports","attributes":{"resource_type":"skus","includes":"prices,,stock_items"}}}"#
            let answer = try await client.call(.post, "/api/exports", token: token, body: body)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.json.error("source")?["pointer"] == "/data/attributes/includes")
            let fine = #"{"data":{"type":"exports","attributes":{"resource_type":"skus","includes":"prices,stock_items"}}}"#
            #expect(try await client.call(.post, "/api/exports", token: token, body: fine).status == .created)
        }
    }
}
