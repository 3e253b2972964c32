import FerryAPI
import FerryCore
import FerryJobs
import FerryStages
import FerryStore
import FerryTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A seeded data directory with the API's services over it, removed by ``remove()``.
struct APIFixture {
    let url: URL
    let environment: StageEnvironment
    let registry: StageRegistry
    let services: FerryServices
    let stops = JobStopSignals()
    static let secret = try! ServerSecret(bytes: Array("0123456789abcdef0123456789abcdef-ferry-tests".utf8))

    init(skus: Int = 40, seedLive: Bool = false, settings: ServerSettings = ServerSettings()) async throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-api-\(UUID().uuidString)")
        environment = StageEnvironment(directory: DataDirectory(url: url))
        try DatasetSeeder(dataset: environment.dataset(.test), options: .init(skus: skus, seed: 1)).run()
        if seedLive { try DatasetSeeder(dataset: environment.dataset(.live), options: .init(skus: skus / 2, seed: 2)).run() }
        registry = StageRegistry()
        try BuiltinStages.register(into: registry, environment: environment)
        services = await FerryServices(environment: environment, registry: registry, secret: Self.secret, stops: stops, settings: settings)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func dataset(_ mode: DatasetMode = .test) throws -> Dataset { try environment.dataset(mode) }

    /// A worker pool over the fixture's datasets.
    func pool(_ configuration: JobConfiguration = JobConfiguration(pollInterval: .milliseconds(5), progressInterval: .zero), identity: WorkerIdentity = .current()) -> JobWorkerPool {
        var logger = Logger(label: "ferry.tests.jobs")
        logger.logLevel = .error
        return JobWorkerPool(environment: environment, registry: registry, configuration: configuration, stops: stops, identity: identity, logger: logger)
    }

    /// A signed token.
    func token(_ mode: DatasetMode = .test, kind: AccessToken.Kind = .integration, scope: String? = nil, ttl: TimeInterval = 3600, now: Date = Date()) async throws -> String {
        try await services.tokens.issue(AccessToken(subject: "tests", mode: mode, kind: kind, scope: scope, ttl: ttl, now: now))
    }

    /// Runs `body` against the application; with `workers`, a pool runs jobs meanwhile.
    func withApp<T: Sendable>(workers: JobWorkerPool? = nil, live: Bool = false, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        var logger = Logger(label: "ferry.tests")
        logger.logLevel = .error
        let app = FerryServer.application(services: services, port: 0, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            if let workers {
                group.addTask {
                    try await workers.run()
                    return nil
                }
            }
            group.addTask { try await app.test(live ? .live : .router) { client in try await body(client) } }
            while let result = try await group.next() {
                if let result {
                    group.cancelAll()
                    return result
                }
            }
            throw CancellationError()
        }
    }
}

/// Requests and answers in JSON.
extension TestClientProtocol {
    /// Sends a request with a bearer token and a JSON:API body; returns the status, the parsed
    /// body (null when empty) and the headers.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil, contentType: String = "application/vnd.api+json") async throws -> (status: HTTPResponse.Status, json: JSONValue, headers: HTTPFields) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let bytes = Array(response.body.readableBytesView)
            let json = bytes.isEmpty ? JSONValue.null : try JSONParser.parse(bytes)
            return (response.status, json, response.headers)
        }
    }

    /// Polls a job until `done` says so, failing after a deadline.
    func poll(_ uri: String, token: String, deadline seconds: Double = 60, until done: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let (_, json, _) = try await call(.get, uri, token: token)
            if done(json) { return json }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("\(uri) did not reach the expected state within \(seconds) s")
        throw CancellationError()
    }
}

extension JSONValue {
    /// `data.attributes.<name>`.
    func attribute(_ name: String) -> JSONValue? { self["data"]?["attributes"]?[name] }
    /// `data.id`.
    var dataID: String { self["data"]?["id"]?.stringValue ?? "" }
    /// The first error's member.
    func error(_ name: String) -> JSONValue? {
        guard case .array(let errors)? = self["errors"], let first = errors.first else { return nil }
        return first[name]
    }
}

/// The array under a document's `member` (`data` by default), empty when there is none.
func items(_ json: JSONValue, _ member: String = "data") -> [JSONValue] {
    if case .array(let items)? = json[member] { return items }
    return []
}

/// Runs a program to its end: its exit status and what it wrote (standard error too, unless
/// `mergeErrors` is off), feeding it `input` on standard input.
///
/// It waits on a thread of its own: waiting on one of the few threads Swift's tasks share would
/// starve an in-process server the program talks to, and the tests running beside it.
func runProgram(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, input: [UInt8]? = nil, mergeErrors: Bool = true) async throws -> (status: Int32, output: [UInt8]) {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result {
                try runProgramBlocking(executable, arguments, environment: environment, input: input, mergeErrors: mergeErrors)
            })
        }.start()
    }
}

/// ``runProgram(_:_:environment:input:mergeErrors:)`` for code that is on a thread of its own.
func runProgramBlocking(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, input: [UInt8]? = nil, mergeErrors: Bool = true) throws -> (status: Int32, output: [UInt8]) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe.closedOnExec()
    process.standardOutput = output
    if mergeErrors { process.standardError = output }
    let stdin = Pipe.closedOnExec()
    if input != nil { process.standardInput = stdin }
    try process.run()
    // Feed standard input from another thread, so a program that writes while it reads never
    // blocks on a full output pipe that nobody drains yet.
    let writer = Thread {
        if let input { stdin.fileHandleForWriting.write(Data(input)) }
        try? stdin.fileHandleForWriting.close()
    }
    if input != nil { writer.start() }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, [UInt8](data))
}

/// Reads gzip bytes with the system's gzip, independently of Ferry's reader.
func gunzip(_ bytes: [UInt8]) async throws -> [UInt8] {
    let (status, output) = try await runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["gzip", "-dc"], input: bytes, mergeErrors: false)
    guard status == 0 else { throw CocoaError(.fileReadCorruptFile) }
    return output
}

/// A gate a job's checkpoint hook waits at until the test opens it.
actor CheckpointGate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var checkpoints: [Checkpoint] = []

    /// The hook: records the checkpoint, then waits until the gate opens (a cancelled wait throws).
    func hook(_ kind: JobKind, _ id: String, _ checkpoint: Checkpoint) async throws {
        checkpoints.append(checkpoint)
        if !isOpen { await withCheckedContinuation { waiting.append($0) } }
        try Task.checkCancellation()
    }

    /// Every checkpoint the hook saw, in order.
    var seen: [Checkpoint] { checkpoints }

    /// Lets every waiting and later checkpoint through.
    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting.removeAll()
    }

    /// Waits (polling, with a deadline) until the hook has seen `count` checkpoints.
    func waitForCheckpoints(_ count: Int, deadline seconds: Double = 60) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while checkpoints.count < count {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
