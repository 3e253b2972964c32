import FerryCore
import FerryStore
import Foundation
import Testing

/// `ferry export --where`: a bare switch predicate reads as it says (`=true`); a bare predicate
/// that needs a value is a clear error before anything runs.
@Suite struct WhereFlagTests {
    @Test("--where do_not_ship_true means do_not_ship_true=true; --where code_eq is refused")
    func bareSwitches() async throws {
        let binary = OpenAPITests.root.appendingPathComponent(".build/debug/ferry")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the ferry executable is built by swift test")
        let fixture = try await APIFixture(skus: 30)
        defer { fixture.remove() }
        func ferry(_ arguments: [String]) async throws -> (Int32, String) {
            let (status, output) = try await runProgram(binary, arguments + ["--data-dir", fixture.url.path], environment: ["PATH": "/usr/bin:/bin"])
            return (status, String(decoding: output, as: UTF8.self))
        }
        func exported(_ wheres: [String]) async throws -> [String] {
            let output = fixture.url.appendingPathComponent("out-\(UUID().uuidString).ndjson").path
            let (status, text) = try await ferry(["export", "--type", "skus", "--quiet", "--output", output] + wheres.flatMap { ["--where", $0] })
            #expect(status == 0, "\(wheres): \(text)")
            let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            return try lines.map { try #require(JSONParser.parse(String($0))["code"]?.stringValue) }
        }
        let skus = try fixture.dataset().catalog.type(named: "skus")
        let notShipped = try fixture.dataset().ids(RecordQuery(type: skus, filter: Filter([(key: "do_not_ship_eq", value: true)], for: skus, in: .commerce)))
        #expect(!notShipped.isEmpty)

        let bare = try await exported(["do_not_ship_true"])
        #expect(bare == (try await exported(["do_not_ship_true=true"])))
        #expect(bare.count == notShipped.count)
        #expect(try await exported(["description_null"]) == (try await exported(["description_null=true"])))
        #expect(try await exported(["do_not_ship_false", "code_present"]) == (try await exported(["do_not_ship_false=true", "code_present=true"])))

        for key in ["code_eq", "code_start_any", "pieces_per_pack_lteq_all"] {
            let (status, message) = try await ferry(["export", "--type", "skus", "--output", fixture.url.appendingPathComponent("never.json").path, "--where", key])
            #expect(status != 0)
            #expect(message.contains("'\(key)' has no value") && message.contains("\(key)=value"), "\(message)")
            #expect(!FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent("never.json").path))
        }
    }
}
