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
    static func ferry(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the ferry executable is built by swift test")
        return try await run(binary, arguments, environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 })
    }

    /// Runs a program to its end on a thread of its own: waiting for it on one of the few
    /// threads Swift's tasks share would starve the in-process server it talks to.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let (status, output) = try runProgramBlocking(executable, arguments, environment: environment)
                    return (status, String(decoding: output, as: UTF8.self))
                })
            }.start()
        }
    }

    @Test("ferry export refuses an output in a missing folder, or a folder, before it reads or asks a server anything")
    func outputCheckedFirst() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let missing = fixture.url.appendingPathComponent("missing-dir/x.json").path
        // Locally: no folder is made for it, and the message names the path.
        let (local, localText) = try await Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "skus", "--output", missing, "-q"])
        #expect(local != 0)
        #expect(localText.contains(missing) && localText.contains("does not exist"), "\(localText)")
        #expect(!FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent("missing-dir").path))
        let (folder, folderText) = try await Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "skus", "--output", fixture.url.path, "-q"])
        #expect(folder != 0)
        #expect(folderText.contains("is a directory"), "\(folderText)")
        // Against a server: refused before any export is created there.
        try await fixture.withApp(workers: fixture.pool(), live: true) { test in
            let server = "http://127.0.0.1:\(try #require(test.port))"
            let (status, text) = try await Self.ferry(["export", "--server", server, "--type", "skus", "--output", missing], environment: ["FERRY_TOKEN": token])
            #expect(status != 0)
            #expect(text.contains(missing) && text.contains("does not exist"), "\(text)")
            #expect(try fixture.dataset().jobs(JobTypes.exports, offset: 0, limit: 10).total == 0, "no export was created on the server")
            // A download that succeeds is renamed into place, its partial file gone.
            let output = fixture.url.appendingPathComponent("remote.json").path
            let (downloaded, downloadText) = try await Self.ferry(["export", "--server", server, "--type", "skus", "--output", output], environment: ["FERRY_TOKEN": token])
            #expect(downloaded == 0, "\(downloadText)")
            #expect(FileManager.default.fileExists(atPath: output) && !FileManager.default.fileExists(atPath: output + ".partial"))
        }
    }

    @Test("a killed export leaves the earlier file whole, and --resume gives the file an uninterrupted export gives")
    func killedExportResumes() async throws {
        let fixture = try await APIFixture(skus: 8000)
        defer { fixture.remove() }
        func path(_ name: String) -> String { fixture.url.appendingPathComponent(name).path }
        let export = ["export", "--data-dir", fixture.url.path, "--type", "skus", "--include", "prices.price_tiers,stock_items", "-q"]
        let (straight, straightText) = try await Self.ferry(export + ["--output", path("straight.json.gz")])
        try #require(straight == 0, "\(straightText)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: path("straight.json.gz")))
        // An earlier, complete export at the output path.
        let output = path("skus.json.gz"), partial = output + ".partial", checkpoint = output + ".checkpoint"
        let (earlier, earlierText) = try await Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "tags", "--output", output, "-q"])
        try #require(earlier == 0, "\(earlierText)")
        let earlierBytes = try Data(contentsOf: URL(fileURLWithPath: output))

        let process = Process()
        process.executableURL = Self.binary
        process.arguments = export + ["--output", output]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed once the partial file holds bytes and a checkpoint is kept for them.
        let deadline = ContinuousClock.now + .seconds(60)
        func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }
        while process.isRunning && !(size(partial) > 0 && FileManager.default.fileExists(atPath: checkpoint)) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        try #require(process.isRunning, "the export ended before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == earlierBytes, "the earlier file is untouched")
        #expect(size(partial) > 0)

        let (resumed, resumedText) = try await Self.ferry(export + ["--output", output, "--resume"])
        #expect(resumed == 0, "\(resumedText)")
        #expect(resumedText.contains("resuming at record"), "it resumed rather than started over: \(resumedText)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == expected, "byte-identical to the uninterrupted export")
        #expect(!FileManager.default.fileExists(atPath: partial) && !FileManager.default.fileExists(atPath: checkpoint))
    }

    @Test("--resume refuses a checkpoint of another export; a new export without --resume starts afresh")
    func resumeChecksTheExport() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let output = fixture.url.appendingPathComponent("skus.json").path
        let stored = #"{"checkpoint":{"recordsIn":1,"recordsOut":1,"sinkState":{"offset":"2","prologue":"1","records":"1"},"stageStates":{}},"export":{"type":"prices"}}"#
        try Data(stored.utf8).write(to: URL(fileURLWithPath: output + ".checkpoint"))
        let (refused, text) = try await Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "skus", "--output", output, "--resume", "-q"])
        #expect(refused != 0)
        #expect(text.contains("another") && text.contains("type"), "\(text)")
        let (fresh, freshText) = try await Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "skus", "--output", output, "-q"])
        #expect(fresh == 0, "\(freshText)")
        #expect(!FileManager.default.fileExists(atPath: output + ".checkpoint"))
        guard case .array(let records) = try JSONParser.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: output)))) else {
            Issue.record("the export is not an array")
            return
        }
        #expect(records.count == 5)
    }

    @Test("ferry import of a gzip file cut in half names the offset and the records imported before the cut, and fails")
    func truncatedImport() async throws {
        let fixture = try await APIFixture(skus: 300)
        defer { fixture.remove() }
        let whole = fixture.url.appendingPathComponent("skus.ndjson.gz").path, cut = fixture.url.appendingPathComponent("cut.ndjson.gz").path
        let (exported, exportText) = try await Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "skus", "--output", whole, "-q"])
        try #require(exported == 0, "\(exportText)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        // What the system's gzip recovers before the cut: whole lines, of which full batches of 10 are imported.
        let (_, recovered) = try await runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["gzip", "-dc"], input: [UInt8](bytes.prefix(bytes.count / 2)), mergeErrors: false)
        let imported = recovered.filter { $0 == 10 }.count / 10 * 10
        try #require(imported > 0)

        let (status, text) = try await Self.ferry(["import", "--data-dir", fixture.url.path, "--type", "skus", "--input", cut, "--batch-size", "10", "-q"])
        #expect(status != 0)
        #expect(text.contains("truncated") && text.contains("byte \(bytes.count / 2)"), "\(text)")
        #expect(text.contains("the \(imported) records before the cut were imported"), "\(text)")
    }

    /// Runs `ferry` as a user the permission bits apply to: as `nobody` through `runuser` when the
    /// tests run as root (for whom a read-only folder is writable), else as the current user.
    static func ferryUnprivileged(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        guard geteuid() == 0 else { return try await ferry(arguments) }
        let runuser = URL(fileURLWithPath: "/usr/sbin/runuser")
        try #require(FileManager.default.isExecutableFile(atPath: runuser.path), "runuser runs the check as nobody")
        return try await run(runuser, ["-u", "nobody", "--", binary.path] + arguments, environment: ["PATH": "/usr/bin:/bin"])
    }

    @Test("in a read-only data directory export and counts read the dataset; a write names the path and the reason")
    func readOnlyDataDirectory() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-readonly-\(UUID().uuidString)")
        let data = base.appendingPathComponent("data"), out = base.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer {
            chmod(data.path, 0o755)
            try? FileManager.default.removeItem(at: base)
        }
        let (seeded, seedText) = try await Self.ferry(["seed", "--data-dir", data.path, "--skus", "30", "-q"])
        try #require(seeded == 0, "\(seedText)")
        let expectedPath = base.appendingPathComponent("expected.json").path
        let (exported, exportText) = try await Self.ferry(["export", "--data-dir", data.path, "--type", "skus", "--include", "prices", "--output", expectedPath, "-q"])
        try #require(exported == 0, "\(exportText)")
        // The folder and its files as a user who may only read them finds them (the lock file included).
        #expect(chmod(data.path, 0o555) == 0 && chmod(out.path, 0o777) == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: data.path).sorted()

        let output = out.appendingPathComponent("skus.json").path
        let (status, text) = try await Self.ferryUnprivileged(["export", "--data-dir", data.path, "--type", "skus", "--include", "prices", "--output", output, "-q"])
        #expect(status == 0, "\(text)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(contentsOf: URL(fileURLWithPath: expectedPath)))
        let (counted, counts) = try await Self.ferryUnprivileged(["counts", "--data-dir", data.path])
        #expect(counted == 0, "\(counts)")
        #expect(counts.contains("skus") && counts.contains("30"), "\(counts)")
        for listing in ["jobs", "runs"] {
            let (listed, text) = try await Self.ferryUnprivileged([listing, "--data-dir", data.path])
            #expect(listed == 0, "\(listing): \(text)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).sorted() == before, "nothing was written there")

        let (imported, message) = try await Self.ferryUnprivileged(["import", "--data-dir", data.path, "--type", "skus", "--input", output, "-q"])
        #expect(imported != 0)
        #expect(message.contains(data.path) && message.contains("Permission denied") && message.contains("writable data directory"), "\(message)")
        #expect(!message.contains("NSCocoaErrorDomain"), "\(message)")
    }
}
