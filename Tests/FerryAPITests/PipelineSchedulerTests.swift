import FerryCore
import FerryJobs
import FerryStages
import FerryStore
import Foundation
import Testing

/// A clock the test moves by hand.
actor ManualClock: SchedulerClock {
    private(set) var current: Date
    private var sleepers: [(id: Int, until: Date, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID = 0

    init(_ start: Date) { current = start }

    func now() -> Date { current }

    func sleep(until date: Date) async throws {
        guard date > current else { return }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { sleepers.append((id, date, $0)) }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) {
        guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return }
        sleepers.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Moves time on and wakes the sleepers that are due.
    func advance(to date: Date) {
        current = date
        let due = sleepers.filter { $0.until <= date }
        sleepers.removeAll { $0.until <= date }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// The times sleepers wait for.
    var waits: [Date] { sleepers.map(\.until) }
}

/// A source that yields one record once its gate opens.
actor SourceGate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var arrivals = 0

    func pass() async {
        arrivals += 1
        if !isOpen { await withCheckedContinuation { waiting.append($0) } }
    }

    func open() {
        isOpen = true
        waiting.forEach { $0.resume() }
        waiting.removeAll()
    }
}

struct GatedSource: SourceStage {
    let gate: SourceGate
    var resourceType: ResourceType? { nil }
    var shape: RecordShape? { nil }
    func estimatedCount() async throws -> Int? { 1 }
    func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        await gate.pass()
        try await emit(RecordBatch(records: [Record(["name": "gated"])], position: "1"))
    }
}

@Suite("The pipeline scheduler", .timeLimit(.minutes(1)))
struct PipelineSchedulerTests {
    static func at(_ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        Timestamp(year: 2026, month: 1, day: 1, hour: hour, minute: minute, second: second).date
    }

    static func pipeline(_ name: String, _ cron: String, source: String, catchUp: Bool = false, output: String) throws -> ScheduledPipeline {
        let definition = PipelineDefinition(
            name: name, schedule: cron,
            source: StageSpec(type: source, options: .object([JSONMember("type", .string(source)), JSONMember("resource_type", "tags")]), location: "source"),
            sink: StageSpec(type: "ndjson", options: .object([JSONMember("type", "ndjson"), JSONMember("path", .string(output))]), location: "sink"))
        return ScheduledPipeline(name: name, file: "\(name).yml", schedule: try CronSchedule(cron), catchUp: catchUp, content: .pipeline(definition), logMode: .test)
    }

    /// Polls until `condition` holds, failing after a deadline.
    static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("never: \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    static func runs(_ fixture: APIFixture) throws -> [Record] {
        try PipelineRunLog(dataset: fixture.dataset()).recent(limit: 20).reversed()
    }

    @Test("a firing while the previous run still goes is skipped and recorded; the next one runs")
    func skipOverlap() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let gate = SourceGate()
        try fixture.registry.register(StageDescriptor(name: "gated", kind: .source, summary: "test", options: [StageOption("resource_type", .string, help: "ignored")]) { _, _ in
            .source(GatedSource(gate: gate))
        })
        let clock = ManualClock(Self.at(12, 0, 30))
        let pipeline = try Self.pipeline("minutely", "* * * * *", source: "gated", output: fixture.url.appendingPathComponent("out.ndjson").path)
        let scheduler = PipelineScheduler(pipelines: [pipeline], environment: fixture.environment, registry: fixture.registry, clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            try await Self.eventually("waits for 12:01") { await clock.waits == [Self.at(12, 1)] }
            #expect(try Self.runs(fixture).isEmpty)

            await clock.advance(to: Self.at(12, 1))
            try await Self.eventually("the 12:01 run is held at its source and the scheduler waits for 12:02") {
                let waits = await clock.waits
                return await gate.arrivals == 1 && waits == [Self.at(12, 2)]
            }
            await clock.advance(to: Self.at(12, 2, 5))
            try await Self.eventually("the 12:02 firing is skipped") {
                let waits = await clock.waits
                return try Self.runs(fixture).count == 2 && waits == [Self.at(12, 3)]
            }
            await gate.open()
            try await Self.eventually("the 12:01 run completes") { try Self.runs(fixture).first?["status"] == "completed" }
            await clock.advance(to: Self.at(12, 3))
            try await Self.eventually("the 12:03 run completes") { try Self.runs(fixture).count == 3 && Self.runs(fixture)[2]["status"] == "completed" }
            group.cancelAll()
        }
        let runs = try Self.runs(fixture)
        #expect(runs.map { $0["status"] } == ["completed", "skipped", "completed"])
        #expect(runs.map { $0["scheduled_at"] } == [12, 12, 12].enumerated().map { .timestamp(Timestamp(date: Self.at($1, 1 + $0))) })
        #expect(runs[0]["started_at"] == .timestamp(Timestamp(date: Self.at(12, 1))))
        #expect(runs[0]["completed_at"] == .timestamp(Timestamp(date: Self.at(12, 2, 5))))
        #expect(runs[0]["records_out"] == 1)
        #expect(runs[1]["error"]?.stringValue?.contains("previous run was still in progress") == true)
        #expect(runs[1]["started_at"] == .null)
        #expect(runs.allSatisfy { $0["trigger"] == "schedule" })
    }

    @Test("a missed run is run once at start with catch_up, and not without")
    func catchUp() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let log = PipelineRunLog(dataset: try fixture.dataset())
        for name in ["hourly-catch-up", "hourly-no-catch-up"] {
            let id = try log.start(pipeline: name, file: "\(name).yml", trigger: .schedule, scheduledAt: Self.at(10, 0), at: Self.at(10, 0))
            try log.finish(id, status: .completed, at: Self.at(10, 1), recordsIn: 0, recordsOut: 0, counters: [:], error: nil)
        }
        let clock = ManualClock(Self.at(13, 30))
        let pipelines = [
            try Self.pipeline("hourly-catch-up", "0 * * * *", source: "dataset", catchUp: true, output: fixture.url.appendingPathComponent("a.ndjson").path),
            try Self.pipeline("hourly-no-catch-up", "0 * * * *", source: "dataset", catchUp: false, output: fixture.url.appendingPathComponent("b.ndjson").path),
        ]
        let scheduler = PipelineScheduler(pipelines: pipelines, environment: fixture.environment, registry: fixture.registry, clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            try await Self.eventually("the catch-up run completes and both wait for 14:00") {
                let waits = await clock.waits
                return try Self.runs(fixture).count == 3 && Self.runs(fixture)[2]["status"] == "completed" && waits == [Self.at(14, 0), Self.at(14, 0)]
            }
            group.cancelAll()
        }
        let caughtUp = try Self.runs(fixture)[2]
        #expect(caughtUp["pipeline"] == "hourly-catch-up")
        #expect(caughtUp["trigger"] == "catch_up")
        #expect(caughtUp["scheduled_at"] == .timestamp(Timestamp(date: Self.at(13, 0))))
        #expect(try log.lastScheduled(pipeline: "hourly-catch-up") == Self.at(13, 0))
        #expect(try log.lastScheduled(pipeline: "hourly-no-catch-up") == Self.at(10, 0))
    }

    @Test("GET /api/pipeline_runs lists the run log of the token's mode, filtered and sorted")
    func runsEndpoint() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let log = PipelineRunLog(dataset: try fixture.dataset())
        let first = try log.start(pipeline: "a", file: "a.yml", trigger: .manual, scheduledAt: nil, at: Self.at(9, 0))
        try log.finish(first, status: .failed, at: Self.at(9, 1), recordsIn: nil, recordsOut: nil, counters: [:], error: "boom")
        try log.skip(pipeline: "b", file: "b.yml", scheduledAt: Self.at(9, 5), at: Self.at(9, 5), reason: "skipped")
        let token = try await fixture.token()
        let live = try await fixture.token(.live)
        try await fixture.withApp { client in
            let all = try await client.call(.get, "/api/pipeline_runs?sort=-scheduled_at", token: token).json
            #expect(all["meta"]?["record_count"] == 2)
            guard case .array(let items)? = all["data"] else { Issue.record("no data"); return }
            #expect(items.map { $0["attributes"]?["pipeline"] } == ["b", "a"])
            #expect(items[0]["type"] == "pipeline_runs")
            let failed = try await client.call(.get, "/api/pipeline_runs?filter[q][status_eq]=failed", token: token).json
            #expect(failed["meta"]?["record_count"] == 1)
            let one = try await client.call(.get, "/api/pipeline_runs/\(first)", token: token)
            #expect(one.json.attribute("error") == "boom")
            #expect(try await client.call(.get, "/api/pipeline_runs/\(first)", token: live).status == .notFound)
            #expect(try await client.call(.delete, "/api/pipeline_runs/\(first)", token: token).status != .noContent)
        }
    }

    @Test("scheduled pipeline files are found with their schedule, zone, catch_up and run-log mode")
    func loading() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-schedules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            name: nightly
            schedule: "30 2 * * *"
            timezone: Europe/Rome
            catch_up: true
            source: {type: dataset, resource_type: orders, mode: live}
            sink: {type: csv, path: out.csv}
            """.write(to: folder.appendingPathComponent("nightly.yml"), atomically: true, encoding: .utf8)
        try "name: manual\nsource: {type: dataset, resource_type: skus}\nsink: {type: json, path: x.json}\n"
            .write(to: folder.appendingPathComponent("manual.yaml"), atomically: true, encoding: .utf8)
        try "name: broken\nschedule: \"61 * * * *\"\nsource: {type: dataset, resource_type: skus}\nsink: {type: json, path: x.json}\n"
            .write(to: folder.appendingPathComponent("z-broken.yml"), atomically: true, encoding: .utf8)
        #expect(throws: StageConfigurationError.self) { try ScheduledPipeline.loadAll(in: folder.path) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("z-broken.yml"))
        let found = try ScheduledPipeline.loadAll(in: folder.path)
        #expect(found.map(\.name) == ["nightly"])
        #expect(found[0].schedule.timeZone.identifier == "Europe/Rome")
        #expect(found[0].catchUp)
        #expect(found[0].logMode == .live)
    }
}
