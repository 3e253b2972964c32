import FerryAPI
import FerryCore
import FerryJobs
import FerryStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Job versions, events and event stores", .timeLimit(.minutes(1)))
struct JobLogTests {
    @Test("each transition records its event, its version and an event-store entry")
    func lifecycle() async throws {
        let fixture = try await APIFixture(skus: 20)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let id = try await client.call(.post, "/api/exports", token: token, body: ExportJobTests.createBody).json.dataID
            _ = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","attributes":{"reference":"r-9"}}}"#)

            let events = try await client.call(.get, "/api/exports/\(id)/events", token: token).json
            #expect(items(events).map { $0["attributes"]?["name"] } == ["create", "start", "complete"])
            #expect(items(events).allSatisfy { $0["attributes"]?["resource_id"] == .string(id) })

            let versions = items(try await client.call(.get, "/api/exports/\(id)/versions", token: token).json)
            #expect(versions.count == 4)
            let start = versions[1]["attributes"]
            #expect(start?["changes"]?["status"] == .array(["pending", "in_progress"]))
            #expect(start?["who"]?["subject"] == "worker")
            let complete = versions[2]["attributes"]?["changes"]
            #expect(complete?["status"] == .array(["in_progress", "completed"]))
            #expect(complete?["completed_at"].map { if case .array(let pair) = $0 { return pair.first == .null } else { return false } } == true)
            let update = versions[3]["attributes"]
            #expect(update?["changes"]?["reference"] == .array(["r-1", "r-9"]))
            #expect(update?["who"]?["subject"] == "tests")

            let stores = items(try await client.call(.get, "/api/exports/\(id)/event_stores", token: token).json)
            #expect(stores.map { $0["attributes"]?["event"] } == ["create", "start", "complete"])
            #expect(stores[2]["attributes"]?["payload"]?["status"] == "completed")

            let linkage = try await client.call(.get, "/api/exports/\(id)/relationships/events", token: token).json
            #expect(items(linkage).map { $0["type"] } == ["events", "events", "events"])

            let included = try await client.call(.get, "/api/exports/\(id)?include=events,versions", token: token).json
            let relationships = included["data"]?["relationships"]
            #expect(relationships?["events"]?["links"]?["related"] == .string("http://localhost/api/exports/\(id)/events"))
            if case .array(let data)? = relationships?["events"]?["data"] { #expect(data.count == 3) } else { Issue.record("no events linkage") }
            #expect(items(included, "included").count == 7)
            #expect(try await client.call(.get, "/api/exports?include=events", token: token).json["included"] != nil)
            #expect(try await client.call(.get, "/api/exports/\(id)?include=colours", token: token).status == .badRequest)
            #expect(try await client.call(.get, "/api/exports/\(id)/colours", token: token).status == .notFound)

            try await client.call(.delete, "/api/exports/\(id)", token: token)
        }
        let log = try fixture.dataset().jobs(JobTypes.events, filter: nil, sort: [RecordSort("created_at")], offset: 0, limit: 10).records
        #expect(log.map { $0["name"] } == ["create", "start", "complete", "destroy"])
    }

    @Test("an interrupt by the API and an import stopped by its errors fire interrupt")
    func interrupts() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let token = try await fixture.token()
        try await fixture.withApp(workers: fixture.pool()) { client in
            let body = #"{"data":{"type":"imports","attributes":{"resource_type":"tags","inputs":[{"colour":"red"}]}}}"#
            let id = try await client.call(.post, "/api/imports", token: token, body: body).json.dataID
            _ = try await client.poll("/api/imports/\(id)", token: token) { $0.attribute("status") == "interrupted" }
            let events = items(try await client.call(.get, "/api/imports/\(id)/events", token: token).json)
            #expect(events.map { $0["attributes"]?["name"] } == ["create", "start", "interrupt"])
        }
        try await fixture.withApp { client in
            let id = try await client.call(.post, "/api/exports", token: token, body: ExportJobTests.createBody).json.dataID
            try await client.call(.patch, "/api/exports/\(id)", token: token, body: #"{"data":{"type":"exports","attributes":{"_interrupt":true}}}"#)
            let events = items(try await client.call(.get, "/api/exports/\(id)/events", token: token).json)
            #expect(events.map { $0["attributes"]?["name"] } == ["create", "interrupt"])
        }
    }
}
