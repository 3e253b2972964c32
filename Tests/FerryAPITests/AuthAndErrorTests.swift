@testable import FerryAPI
import FerryCore
import FerryStore
import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API authentication, scope and errors")
struct AuthAndErrorTests {
    @Test("health answers without a token")
    func health() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.withApp { client in
            let (status, json, headers) = try await client.call(.get, "/health", token: nil)
            #expect(status == .ok)
            #expect(json["status"] == "ok")
            #expect(headers[.contentType] == "application/vnd.api+json")
        }
    }

    @Test("with handlers on threads of their own, requests and errors are answered as without")
    func handlerThreads() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let handlers = ThreadPoolExecutor(name: "ferry-test-api", count: 2, niceness: 1)
        defer { handlers.shutdown() }
        let services = await FerryServices(
            environment: fixture.environment, registry: fixture.registry, secret: APIFixture.secret, stops: fixture.stops, handlers: handlers)
        let token = try await fixture.token()
        let app = FerryServer.application(services: services, port: 0)
        try await app.test(.router) { client in
            let body = #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#
            let created = try await client.call(.post, "/api/exports", token: token, body: body)
            #expect(created.status == .created)
            let listed = try await client.call(.get, "/api/exports", token: token)
            #expect(listed.status == .ok)
            let missing = try await client.call(.get, "/api/exports/nope", token: token)
            #expect(missing.status == .notFound)
            #expect(missing.json.error("code") == "RECORD_NOT_FOUND")
        }
    }

    @Test("missing, malformed, forged and expired tokens are 401 JSON:API errors")
    func tokens() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let forger = await TokenAuthority(secret: try ServerSecret(bytes: Array("another-secret-of-at-least-32-bytes!!".utf8)))
        let forged = try await forger.issue(AccessToken(subject: "x", mode: .test, kind: .integration, ttl: 3600))
        let expired = try await fixture.token(now: Date().addingTimeInterval(-7200))
        try await fixture.withApp { client in
            let missing = try await client.call(.get, "/api/exports", token: nil)
            #expect(missing.status == .unauthorized)
            #expect(missing.json.error("code") == "UNAUTHORIZED")
            #expect(missing.json.error("status") == "401")
            for (token, label) in [(forged, "forged"), (expired, "expired"), ("not.a.jwt", "malformed")] {
                let answer = try await client.call(.get, "/api/exports", token: token)
                #expect(answer.status == .unauthorized, "\(label)")
                #expect(answer.json.error("code") == "INVALID_TOKEN", "\(label)")
                #expect(answer.headers[.contentType] == "application/vnd.api+json")
            }
        }
    }

    @Test("a verified token is remembered until it expires, and the memory is bounded")
    func verifiedTokens() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        let first = try await fixture.services.tokens.verify(token)
        let again = try await fixture.services.tokens.verify(token)
        #expect(again.sub == first.sub && again.exp == first.exp)
        // A token changed by one character is verified afresh, not matched to the remembered one.
        await #expect(throws: (any Error).self) { try await fixture.services.tokens.verify(token + "x") }

        let memory = VerifiedTokens(capacity: 2)
        let now = Date()
        let claims = AccessToken(subject: "a", mode: .test, kind: .integration, ttl: 60, now: now)
        memory.remember(claims, for: "a")
        #expect(memory.claims(of: "a", now: now)?.sub.value == "a")
        #expect(memory.claims(of: "a", now: now.addingTimeInterval(61)) == nil, "expired while remembered")
        #expect(memory.claims(of: "a", now: now) == nil, "an expired token is forgotten")
        for name in ["b", "c", "d"] { memory.remember(claims, for: name) }
        #expect(memory.claims(of: "b", now: now) == nil, "full: emptied before 'd' was added")
        #expect(memory.claims(of: "d", now: now)?.sub.value == "a")
    }

    @Test("bodies must be JSON:API or JSON; bad JSON is 400")
    func bodies() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let body = #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#
            let wrongType = try await client.call(.post, "/api/exports", token: token, body: body, contentType: "text/plain")
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(wrongType.json.error("code") == "UNSUPPORTED_MEDIA_TYPE")
            let plainJSON = try await client.call(.post, "/api/exports", token: token, body: body, contentType: "application/json; charset=utf-8")
            #expect(plainJSON.status == .created)
            let badJSON = try await client.call(.post, "/api/exports", token: token, body: #"{"data": {"type": "exports","#)
            #expect(badJSON.status == .badRequest)
            #expect(badJSON.json.error("code") == "BAD_REQUEST")
            let mismatch = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"imports","attributes":{}}}"#)
            #expect(mismatch.status == .conflict)
            #expect(mismatch.json.error("source")?["pointer"] == "/data/type")
        }
    }

    @Test("invalid export attributes are 422 with the offending attribute's pointer", arguments: [
        (#"{"resource_type":"colours"}"#, "/data/attributes/resource_type"),
        (#"{"format":"json"}"#, "/data/attributes/resource_type"),
        (#"{"resource_type":"skus","format":"pdf"}"#, "/data/attributes/format"),
        (#"{"resource_type":"skus","filters":{"colour_eq":"red"}}"#, "/data/attributes/filters/colour_eq"),
        (#"{"resource_type":"skus","filters":{"code_sounds_like":"x"}}"#, "/data/attributes/filters/code_sounds_like"),
        (#"{"resource_type":"skus","includes":["prices","warehouses"]}"#, "/data/attributes/includes/1"),
        (#"{"resource_type":"skus","includes":["prices.price_tiers.price.sku"]}"#, "/data/attributes/includes/0"),
        (#"{"resource_type":"skus","fields":["code","colour"]}"#, "/data/attributes/fields"),
        (#"{"resource_type":"skus","status":"completed"}"#, "/data/attributes/status"),
        (#"{"resource_type":"skus","dry_data":"yes"}"#, "/data/attributes/dry_data"),
    ])
    func invalidExports(attributes: String, pointer: String) async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let answer = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","attributes":\#(attributes)}}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.json.error("code") == "VALIDATION_ERROR")
            #expect(answer.json.error("source")?["pointer"]?.stringValue == pointer)
            #expect(try fixture.dataset().jobs(JobTypes.exports, offset: 0, limit: 10).total == 0)
        }
    }

    @Test("list parameters are checked: page size over 25, unknown sort, unknown filter")
    func listParameters() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            let big = try await client.call(.get, "/api/exports?page[size]=26", token: token)
            #expect(big.status == .badRequest)
            #expect(big.json.error("source")?["parameter"] == "page[size]")
            let encoded = try await client.call(.get, "/api/exports?page%5Bsize%5D=100", token: token)
            #expect(encoded.status == .badRequest)
            let sort = try await client.call(.get, "/api/exports?sort=-colour", token: token)
            #expect(sort.status == .badRequest)
            #expect(sort.json.error("source")?["parameter"] == "sort")
            let filter = try await client.call(.get, "/api/imports?filter[q][status_sounds]=x", token: token)
            #expect(filter.status == .badRequest)
            #expect(filter.json.error("source")?["parameter"] == "filter[q][status_sounds]")
            let missing = try await client.call(.get, "/api/exports/nope", token: token)
            #expect(missing.status == .notFound)
            #expect(missing.json.error("code") == "RECORD_NOT_FOUND")
        }
    }

    @Test("a page number whose offset would overflow is a 400 naming page[number], on every list", arguments: [
        "/api/exports", "/api/skus", "/api/imports", "/api/pipeline_runs",
    ])
    func pageNumberOverflow(list: String) async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp { client in
            for number in ["400000000000000000", "9223372036854775807", "1000000001", "99999999999999999999999"] {
                let answer = try await client.call(.get, "\(list)?page[size]=25&page[number]=\(number)", token: token)
                #expect(answer.status == .badRequest, "\(list) page \(number)")
                #expect(answer.json.error("source")?["parameter"] == "page[number]")
            }
            let last = try await client.call(.get, "\(list)?page[size]=25&page[number]=\(ListParameters.maximumPageNumber)", token: token)
            #expect(last.status == .ok, "the largest page number is an empty page")
            #expect(items(last.json).isEmpty)
            guard list == "/api/exports" else { return }
            let created = try await client.call(.post, list, token: token, body: #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#)
            let id = try #require(created.json["data"]?["id"]?.stringValue)
            let related = try await client.call(.get, "\(list)/\(id)/events?page[number]=400000000000000000", token: token)
            #expect(related.status == .badRequest)
            #expect(related.json.error("source")?["parameter"] == "page[number]")
        }
    }

    @Test("a job of one mode is invisible from the other (404, never its data)")
    func modeIsolation() async throws {
        let fixture = try await APIFixture(seedLive: true)
        defer { fixture.remove() }
        let test = try await fixture.token(.test)
        let live = try await fixture.token(.live)
        try await fixture.withApp { client in
            let created = try await client.call(.post, "/api/exports", token: test, body: #"{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}"#)
            #expect(created.status == .created)
            #expect(created.json["data"]?["meta"]?["mode"] == "test")
            let id = created.json.dataID
            for method in [HTTPRequest.Method.get, .delete] {
                let answer = try await client.call(method, "/api/exports/\(id)", token: live)
                #expect(answer.status == .notFound)
                #expect(answer.json["data"] == nil)
            }
            let patch = try await client.call(.patch, "/api/exports/\(id)", token: live, body: #"{"data":{"type":"exports","id":"\#(id)","attributes":{"_interrupt":true}}}"#)
            #expect(patch.status == .notFound)
            let list = try await client.call(.get, "/api/exports", token: live)
            #expect(list.json["meta"]?["record_count"] == 0)
            #expect(try await client.call(.get, "/api/exports/\(id)", token: test).status == .ok)
        }
    }

    @Test("jwt_filters limits an export to the token's markets")
    func jwtFilters() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let dataset = try fixture.dataset()
        let markets = try dataset.fetchPage(RecordQuery(type: ResourceCatalog.commerce["markets"]!), after: nil, limit: 10)
        let market = try #require(markets.first)
        let code = try #require(market["code"]?.stringValue)
        let prices = ResourceCatalog.commerce["prices"]!
        let all = try dataset.count(RecordQuery(type: prices))
        let scoped = try dataset.count(RecordQuery(type: prices, marketIDs: [market.id!]))
        #expect(scoped > 0 && scoped < all)
        let byCode = try await fixture.token(kind: .salesChannel, scope: "market:code:\(code)")
        let byID = try await fixture.token(kind: .salesChannel, scope: "market:id:\(market.id!)")
        try await fixture.withApp { client in
            for token in [byCode, byID] {
                let filtered = try await client.call(.post, "/api/exports", token: token, body: #"{"data":{"type":"exports","attributes":{"resource_type":"prices","jwt_filters":true}}}"#)
                #expect(filtered.json.attribute("records_count") == .int(Int64(scoped)))
            }
            let unfiltered = try await client.call(.post, "/api/exports", token: byCode, body: #"{"data":{"type":"exports","attributes":{"resource_type":"prices"}}}"#)
            #expect(unfiltered.json.attribute("records_count") == .int(Int64(all)))
        }
    }
}

@Suite("Rate limiting")
struct RateLimitTests {
    @Test("each token gets its limit per window, with x-ratelimit headers, then 429")
    func limits() async throws {
        let fixture = try await APIFixture(skus: 2, settings: ServerSettings(rateLimit: 3, rateLimitInterval: 60))
        defer { fixture.remove() }
        let first = try await fixture.token()
        let second = try await fixture.token(.live)
        try await fixture.withApp { client in
            for remaining in [2, 1, 0] {
                let answer = try await client.call(.get, "/api/exports", token: first)
                #expect(answer.status == .ok)
                #expect(answer.headers[HTTPField.Name("x-ratelimit-limit")!] == "3")
                #expect(answer.headers[HTTPField.Name("x-ratelimit-interval")!] == "60")
                #expect(answer.headers[HTTPField.Name("x-ratelimit-remaining")!] == String(remaining))
            }
            let over = try await client.call(.get, "/api/exports", token: first)
            #expect(over.status == .tooManyRequests)
            #expect(over.json.error("code") == "TOO_MANY_REQUESTS")
            #expect(over.headers[.retryAfter].flatMap(Int.init).map { $0 > 0 && $0 <= 60 } == true)
            // Another token has its own window; health is not limited.
            #expect(try await client.call(.get, "/api/exports", token: second).status == .ok)
            #expect(try await client.call(.get, "/health", token: nil).status == .ok)
        }
        let limiter = RateLimiter(limit: 2, interval: 10)
        #expect(limiter.check("k", now: 100).allowed)
        #expect(limiter.check("k", now: 101).allowed)
        #expect(!limiter.check("k", now: 109).allowed)
        #expect(limiter.check("k", now: 110).allowed)
    }
}

@Suite("The server secret and token lifetimes")
struct ServerSecretTests {
    @Test("the secret is generated once (owner-only), reused, overridden by FERRY_SECRET, and refused when short")
    func secret() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-secret-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = DataDirectory(url: folder)
        let first = try ServerSecret.load(directory: directory, environment: [:])
        #expect(first.bytes.count == 64)
        let permissions = try FileManager.default.attributesOfItem(atPath: directory.secretURL.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try ServerSecret.load(directory: directory, environment: [:]).bytes == first.bytes)
        let fromEnvironment = try ServerSecret.load(directory: directory, environment: ["FERRY_SECRET": String(repeating: "k", count: 40)])
        #expect(fromEnvironment.bytes == Array(String(repeating: "k", count: 40).utf8))
        #expect(throws: ServerSecretError.self) { try ServerSecret.load(directory: directory, environment: ["FERRY_SECRET": "short"]) }
    }

    @Test("token lifetimes", arguments: [("90s", 90.0), ("15m", 900.0), ("2h", 7200.0), ("7d", 604_800.0), ("45", 45.0)])
    func lifetimes(text: String, seconds: Double) {
        #expect(TokenAuthority.lifetime(text) == seconds)
    }

    @Test("bad token lifetimes", arguments: ["", "2w", "-5m", "h", "0s"])
    func badLifetimes(text: String) {
        #expect(TokenAuthority.lifetime(text) == nil)
    }
}
