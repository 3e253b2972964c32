import Exec
import FerryCore
import FerryTestSupport
import Foundation
import Testing

@Suite struct ExecPluginTests {
    let registry: StageRegistry = {
        let registry = StageRegistry()
        try! ExecPlugin.register(into: registry)
        return registry
    }()

    /// A sink that keeps what it gets.
    actor Collect: SinkStage {
        var records: [Record] = []
        func open(shape: RecordShape?, resumingFrom state: [String: String]?) async throws {}
        func write(_ batch: [Record]) async throws { records += batch }
        func commit() async throws -> [String: String]? { nil }
        func close() async throws -> SinkSummary { SinkSummary(recordsWritten: records.count) }
        func abort() async {}
    }

    func stage(_ kind: StageKind, _ command: [String], options: JSONValue = [:], timeout: Int64 = 10) throws -> AnyStage {
        let spec = StageSpec(
            type: "exec", options: ["type": "exec", "command": .array(command.map(JSONValue.string)), "options": options, "timeout": .int(timeout)],
            location: "test")
        return try registry.build(spec, expecting: kind, context: StageBuildContext(catalog: .commerce))
    }

    func script(_ body: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-exec-\(UUID().uuidString).py")
        try body.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let exampleSink = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("pipelines/examples/jsonl_sink.py").path

    @Test func thePythonExampleSinkWritesEveryRecord() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-exec-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: out) }
        guard case .sink(let sink) = try stage(.sink, ["python3", Self.exampleSink], options: ["path": .string(out.path)]) else { return }
        let result = try await PipelineRunner().run(Pipeline(name: "t", source: NumberedSource(total: 2500, named: true), sink: sink, batchSize: 300))
        #expect(result.sink.recordsWritten == 2500)
        #expect(result.sink.details["state"]?["records"] == .int(2500))
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2500)
        #expect(lines.last == #"{"n": 2499, "name": "item 2499"}"#)
    }

    @Test func aTransformAndASourceInPython() async throws {
        let transform = try script("""
            import json, sys
            print(json.dumps({"type": "hello", "protocol": 1}), flush=True) if json.loads(sys.stdin.readline())["type"] == "hello" else None
            for line in sys.stdin:
                m = json.loads(line)
                if m["type"] == "batch":
                    out = [dict(r, name=r["name"].upper()) for r in m["records"] if r["n"] % 2 == 0]
                    print(json.dumps({"type": "batch", "records": out}), flush=True)
                else:
                    print(json.dumps({"type": "state"}), flush=True); break
            """)
        let source = try script("""
            import json, sys
            json.loads(sys.stdin.readline()); print(json.dumps({"type": "hello", "protocol": 1}), flush=True)
            read = json.loads(sys.stdin.readline())
            for b in range(3):
                print(json.dumps({"type": "batch", "records": [{"n": b * 10 + i, "name": f"x{i}"} for i in range(10)], "position": str(b)}), flush=True)
                assert json.loads(sys.stdin.readline())["type"] == "next"
            print(json.dumps({"type": "end"}), flush=True)
            assert json.loads(sys.stdin.readline())["type"] == "end"
            print(json.dumps({"type": "state"}), flush=True)
            """)
        guard case .transform(let upper) = try stage(.transform, ["python3", transform]),
              case .source(let numbers) = try stage(.source, ["python3", source])
        else { return }
        let sink = Collect()
        let result = try await PipelineRunner().run(Pipeline(name: "t", source: numbers, stages: [upper], sink: sink, batchSize: 10))
        #expect(result.recordsIn == 30)
        let records = await sink.records
        #expect(records.count == 15)
        #expect(records.first?["name"] == "X0")
    }

    func failure(_ body: String, timeout: Int64 = 10) async throws -> String {
        guard case .sink(let sink) = try stage(.sink, ["python3", try script(body)], timeout: timeout) else { return "" }
        do {
            _ = try await PipelineRunner().run(Pipeline(name: "t", source: NumberedSource(total: 50, named: true), sink: sink, batchSize: 10))
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    static let greet = "import json, sys, time\njson.loads(sys.stdin.readline()); print(json.dumps({'type': 'hello', 'protocol': 1}), flush=True)\n"

    @Test func badJSONFailsWithTheLine() async throws {
        let message = try await failure(Self.greet + "sys.stdin.readline(); print('this is not json', flush=True); time.sleep(5)")
        #expect(message.contains("line 2") && message.contains("not JSON") && message.contains("this is not json"), "\(message)")
    }

    @Test func anEarlyExitFailsWithItsStderr() async throws {
        let message = try await failure(Self.greet + "sys.stdin.readline(); print('disk full', file=sys.stderr, flush=True); sys.exit(3)")
        #expect(message.contains("exited") && message.contains("disk full"), "\(message)")
    }

    @Test func aHangPastTheTimeoutIsKilled() async throws {
        // The child says who it is, then hangs; had it been waited for, it would leave a mark when its sleep ends.
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-exec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: trace.appendingPathExtension("pid")) }
        let body = Self.greet + """
            import os
            open('\(trace.path).pid', 'w').write(str(os.getpid()))
            sys.stdin.readline(); time.sleep(60)
            open('\(trace.path).done', 'w').write('slept')
            """
        let message = try await failure(body, timeout: 1)
        #expect(message.contains("did not answer within"), "\(message)")
        let pid = try #require(Int32(String(contentsOf: trace.appendingPathExtension("pid"), encoding: .utf8)))
        // Killed, it is gone as soon as it is reaped: poll for that with a deadline far below its sleep.
        let deadline = ContinuousClock.now + .seconds(20)
        while kill(pid, 0) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(kill(pid, 0) == -1, "the child is gone when the stage fails")
        #expect(!FileManager.default.fileExists(atPath: trace.appendingPathExtension("done").path), "the child was killed rather than waited for")
    }

    @Test func aWrongAckOrAnErrorLineFails() async throws {
        let wrong = try await failure(Self.greet + "sys.stdin.readline(); print(json.dumps({'type': 'ack', 'count': 1}), flush=True); time.sleep(5)")
        #expect(wrong.contains("ack"), "\(wrong)")
        let reported = try await failure(Self.greet + "sys.stdin.readline(); print(json.dumps({'type': 'error', 'message': 'quota exceeded'}), flush=True)")
        #expect(reported.contains("quota exceeded"), "\(reported)")
        let noHello = try await failure("import sys\nsys.stdin.readline(); print('{\"type\": \"ready\"}', flush=True)")
        #expect(noHello.contains("hello"), "\(noHello)")
    }

    @Test func aMissingProgramIsAClearError() async throws {
        guard case .sink(let sink) = try stage(.sink, ["ferry-no-such-program-xyz"]) else { return }
        await #expect(throws: ExecError.self) {
            _ = try await PipelineRunner().run(Pipeline(name: "t", source: NumberedSource(total: 5, named: true), sink: sink))
        }
    }
}
