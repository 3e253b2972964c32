import FerryAPI
import FerryCore
import FerryStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// The list filters Commerce Layer's exports list takes — `ids` and ranges on timestamps — and
/// the compound predicates, through `filter[q][…]` over HTTP.
@Suite("List filters over HTTP", .timeLimit(.minutes(1)))
struct ListFilterTests {
    static let createBody = #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#

    /// The ids of a list answer, in order.
    static func ids(_ json: JSONValue) -> [String] { items(json).compactMap { $0["id"]?.stringValue } }

    @Test("GET /api/exports takes ids and created_at ranges, alone and with compound forms")
    func exportsListIdsAndTimestampRanges() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            var created: [String] = []
            for _ in 0..<3 {
                let answer = try await client.call(.post, "/api/exports", token: token, body: Self.createBody)
                #expect(answer.status == .created)
                created.append(answer.json.dataID)
            }
            let ids = created
            // Distinct creation times, a day apart, so the ranges have edges to test.
            let times = ["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"]
            try await fixture.dataset().pool.write { db in
                for (id, time) in zip(ids, times) {
                    try db.execute(sql: #"UPDATE "exports" SET "created_at" = ? WHERE "id" = ?"#, arguments: [time, id])
                }
            }
            func list(_ query: String) async throws -> [String] {
                let answer = try await client.call(.get, "/api/exports?sort=created_at&" + query, token: token)
                #expect(answer.status == .ok, "\(query): \(answer.json.jsonText)")
                return Self.ids(answer.json)
            }
            #expect(try await list("filter[q][ids]=\(ids[0]),\(ids[2])") == [ids[0], ids[2]])
            #expect(try await list("filter[q][ids]=\(ids[1])") == [ids[1]])
            #expect(try await list("filter[q][created_at_gt]=2026-01-01T00:00:00.000Z") == [ids[1], ids[2]])
            #expect(try await list("filter[q][created_at_gteq]=2026-01-02") == [ids[1], ids[2]])
            #expect(try await list("filter[q][created_at_lt]=2026-01-02T00:00:00Z") == [ids[0]])
            #expect(try await list("filter[q][created_at_lteq]=2026-01-02T01:00:00%2B01:00") == [ids[0], ids[1]])
            #expect(try await list("filter[q][created_at_gteq]=2026-01-02&filter[q][created_at_lteq]=2026-01-02T12:00:00Z") == [ids[1]])
            #expect(try await list("filter[q][ids]=\(ids[0]),\(ids[1])&filter[q][created_at_gt]=2026-01-01T12:00:00Z") == [ids[1]])
            #expect(try await list("filter[q][created_at_lteq_any]=2026-01-01,2026-01-02") == [ids[0], ids[1]])
            #expect(try await list("filter[q][created_at_gteq_all]=2026-01-01,2026-01-03") == [ids[2]])
            #expect(try await list("filter[q][id_not_eq_all]=\(ids[0]),\(ids[2])") == [ids[1]])
            let notEnd = try await list("filter[q][resource_type_not_end_any]=us,ps")
            #expect(notEnd == ids, "\(notEnd)")
            #expect(try await list("filter[q][resource_type_not_end_all]=us,ps").isEmpty)

            let bad = try await client.call(.get, "/api/exports?filter[q][created_at_gteq]=yesterday", token: token)
            #expect(bad.status == .badRequest)
            #expect(bad.json.error("source")?["parameter"] == "filter[q][created_at_gteq]")
        }
    }

    @Test("GET /api/skus takes ids and the _any/_all forms")
    func resourceListIdsAndCompounds() async throws {
        let fixture = try await APIFixture(skus: 8)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let all = try await client.call(.get, "/api/skus?sort=code&page[size]=25", token: token).json
            let ids = Self.ids(all)
            let codes = items(all).compactMap { $0["attributes"]?["code"]?.stringValue }
            #expect(ids.count >= 3)
            let picked = try await client.call(.get, "/api/skus?sort=code&filter[q][ids]=\(ids[0]),\(ids[2])", token: token).json
            #expect(Self.ids(picked) == [ids[0], ids[2]])
            let notEqAll = try await client.call(.get, "/api/skus?sort=code&page[size]=25&filter[q][code_not_eq_all]=\(codes[0]),\(codes[1])", token: token).json
            #expect(Self.ids(notEqAll) == Array(ids.dropFirst(2)))
            let startAll = try await client.call(.get, "/api/skus?sort=code&page[size]=25&filter[q][code_start_all]=\(codes[0]),\(codes[0].prefix(3))", token: token).json
            #expect(Self.ids(startAll) == [ids[0]])
        }
    }
}
