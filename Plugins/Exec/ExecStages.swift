import FerryCore

/// The JSON-lines conversation every `exec` stage starts with (docs/exec-protocol.md).
actor ExecSession {
    static let protocolVersion: Int64 = 1
    private let child: ChildProcess
    private(set) var finalState: JSONValue?

    init(command: [String], kind: StageKind, options: JSONValue, resourceType: String?, timeout: Duration) async throws {
        child = try ChildProcess(command: command, timeout: timeout)
        var hello: [JSONMember] = [
            JSONMember("type", "hello"), JSONMember("protocol", .int(Self.protocolVersion)), JSONMember("stage", .string(kind.rawValue)),
            JSONMember("options", options),
        ]
        if let resourceType { hello.append(JSONMember("resource_type", .string(resourceType))) }
        try child.send(.object(hello))
        let answer = try await child.receive()
        guard case .string("hello")? = answer["type"] else { throw ExecError.failed(command: command.joined(separator: " "), message: "expected a hello line, got \(answer.jsonText)", stderr: "") }
        guard answer["protocol"] == .int(Self.protocolVersion) else {
            throw ExecError.failed(command: command.joined(separator: " "), message: "speaks protocol \(answer["protocol"]?.jsonText ?? "?"), Ferry speaks \(Self.protocolVersion)", stderr: "")
        }
    }

    /// Sends a batch of records and returns the answer.
    func exchange(_ records: [Record]) async throws -> JSONValue {
        var writer = JSONWriter(capacity: 4096)
        writer.writeRaw(#"{"type":"batch","records":"#.utf8)
        writer.writeArray(records) { $0.write($1) }
        writer.bytes.append(125)
        try child.send(bytes: writer.bytes)
        return try await child.receive()
    }

    func send(_ value: JSONValue) throws { try child.send(value) }
    func receive() async throws -> JSONValue { try await child.receive() }

    /// Ends the conversation: `end`, the final `state` line, and a clean exit.
    func end() async throws {
        try child.send(["type": "end"])
        let state = try await child.receive()
        guard case .string("state")? = state["type"] else { throw protocolError("expected a state line, got \(state.jsonText)") }
        finalState = state
        try await child.finish()
    }

    func kill() { child.terminate() }

    func protocolError(_ message: String) -> ExecError {
        .failed(command: child.command.joined(separator: " "), message: message, stderr: "")
    }

    /// The records of a `batch` answer.
    func records(of answer: JSONValue) throws -> [Record] {
        guard case .string("batch")? = answer["type"], case .array(let items)? = answer["records"] else {
            throw protocolError("expected a batch line, got \(answer.jsonText.prefix(200))")
        }
        return try items.map { item in
            guard case .object(let members) = item else { throw protocolError("a record must be a JSON object, not \(item.jsonText)") }
            var record = Record()
            for member in members { record.append(member.key, Value(member.value)) }
            return record
        }
    }
}

/// The `exec` sink: hands every batch to a program, which acknowledges it.
public actor ExecSink: SinkStage {
    let command: [String], options: JSONValue, resourceType: String?, timeout: Duration
    private var session: ExecSession?
    private var written = 0

    init(command: [String], options: JSONValue, resourceType: String?, timeout: Duration) {
        self.command = command
        self.options = options
        self.resourceType = resourceType
        self.timeout = timeout
    }

    public func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {
        session = try await ExecSession(command: command, kind: .sink, options: options, resourceType: resourceType, timeout: timeout)
        written = Int(state?["records"] ?? "") ?? 0
    }

    public func write(_ records: [Record]) async throws {
        guard let session else { return }
        let answer = try await session.exchange(records)
        guard case .string("ack")? = answer["type"], answer["count"] == .int(Int64(records.count)) else {
            throw await session.protocolError("expected {\"type\":\"ack\",\"count\":\(records.count)}, got \(answer.jsonText.prefix(200))")
        }
        written += records.count
    }

    public func commit() async throws -> [String: String]? { ["records": String(written)] }

    public func close() async throws -> SinkSummary {
        try await session?.end()
        let state = await session?.finalState
        return SinkSummary(recordsWritten: written, destination: command.joined(separator: " "), details: state.map { ["state": $0] } ?? [:])
    }

    public func abort() async { await session?.kill() }
}

/// The `exec` transform: a program answers each batch with the records to pass on.
public actor ExecTransform: RecordStage {
    let command: [String], options: JSONValue, resourceType: String?, timeout: Duration
    private var session: ExecSession?

    init(command: [String], options: JSONValue, resourceType: String?, timeout: Duration) {
        self.command = command
        self.options = options
        self.resourceType = resourceType
        self.timeout = timeout
    }

    public nonisolated func outputShape(for input: RecordShape?) -> RecordShape? { nil }

    public func process(_ records: [Record]) async throws -> [Record] {
        if session == nil { session = try await ExecSession(command: command, kind: .transform, options: options, resourceType: resourceType, timeout: timeout) }
        guard let session else { return [] }
        return try await session.records(of: session.exchange(records))
    }

    deinit {
        if let session { Task { [session] in await session.kill() } }
    }
}

/// The `exec` source: a program yields batches, one per `next` request.
public struct ExecSource: SourceStage {
    let command: [String], options: JSONValue, timeout: Duration
    public let resourceType: ResourceType?
    public var shape: RecordShape? { nil }

    public func estimatedCount() async throws -> Int? { nil }

    public func read(from position: String?, batchSize: Int, emit: (RecordBatch) async throws -> Void) async throws {
        let session = try await ExecSession(command: command, kind: .source, options: options, resourceType: resourceType?.name, timeout: timeout)
        do {
            try await session.send(["type": "read", "position": position.map(JSONValue.string) ?? .null, "batch_size": .int(Int64(batchSize))])
            while true {
                let answer = try await session.receive()
                if case .string("end")? = answer["type"] { break }
                let records = try await session.records(of: answer)
                var next: String?
                if case .string(let p)? = answer["position"] { next = p }
                try await emit(RecordBatch(records: records, position: next))
                try await session.send(["type": "next"])
            }
            try await session.end()
        } catch {
            await session.kill()
            throw error
        }
    }
}
