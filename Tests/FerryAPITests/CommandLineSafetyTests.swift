import FerryAPI
import FerryCore
import FerryStages
import FerryStore
import Foundation
import Testing

/// The `ferry` executable keeps nothing half-done: it refuses an output it cannot write before it
/// starts, never leaves a truncated export at the output path, resumes a killed export, reports a
/// truncated import, and says what is wrong with a data directory it cannot write.
@Suite("The CLI keeps nothing half-done", .timeLimit(.minutes(2)))
struct CommandLineSafetyTests {
    static let binary = OpenAPITests.root.appendingPathComponent(".build/debug/ferry")

    /// Runs the built `ferry` with a plain environment; its status and everything it printed.
    static func ferry(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the ferry executable is built by swift test")
        let (status, output) = try runProgram(binary, arguments, environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 })
        return (status, String(decoding: output, as: UTF8.self))
    }

    @Test("ferry export refuses an output in a missing folder, or a folder, before it reads or asks a server anything")
    func outputCheckedFirst() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let missing = fixture.url.appendingPathComponent("missing-dir/x.json").path
        // Locally: no folder is made for it, and the message names the path.
        let (local, localText) = try Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "skus", "--output", missing, "-q"])
        #expect(local != 0)
        #expect(localText.contains(missing) && localText.contains("does not exist"), "\(localText)")
        #expect(!FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent("missing-dir").path))
        let (folder, folderText) = try Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "skus", "--output", fixture.url.path, "-q"])
        #expect(folder != 0)
        #expect(folderText.contains("is a directory"), "\(folderText)")
        // Against a server: refused before any export is created there.
        try await fixture.withApp(workers: fixture.pool(), live: true) { test in
            let server = "http://127.0.0.1:\(try #require(test.port))"
            let (status, text) = try Self.ferry(["export", "--server", server, "--type", "skus", "--output", missing], environment: ["FERRY_TOKEN": token])
            #expect(status != 0)
            #expect(text.contains(missing) && text.contains("does not exist"), "\(text)")
        }
        #expect(try fixture.dataset().jobs(JobTypes.exports, offset: 0, limit: 10).total == 0, "no export was created on the server")
    }
}
