import FerryAPI
import FerryCore
import FerryStages
import FerryStore
import Foundation
import Testing

/// The `ferry` executable as a newcomer meets it (issue 21): no silent empty datasets, modes that
/// agree with the token, no silent `mkdir -p`, plain errors, typo suggestions and exit codes,
/// completion scripts, `--json`, and a README that can be followed step by step.
@Suite("The CLI a newcomer can trust", .timeLimit(.minutes(2)))
struct NewcomerCommandLineTests {
    /// Runs the built `ferry` (standard error merged into the output).
    static func ferry(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await CommandLineSafetyTests.ferry(arguments, environment: environment)
    }

    /// A fresh folder under the temporary directory, not created.
    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ferry-newcomer-\(UUID().uuidString)")
    }

    @Test("only seed, import and duplicate create a dataset; every other command names the missing one and fails")
    func noSilentEmptyDatasets() async throws {
        let base = Self.scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let missing = base.appendingPathComponent("dd").path
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let pipeline = base.appendingPathComponent("tags.yml")
        try "name: tags-out\nsource: {type: dataset, resource_type: tags}\nsink: {type: ndjson, path: \(base.path)/tags.ndjson}\n"
            .write(to: pipeline, atomically: true, encoding: .utf8)
        let refused: [[String]] = [
            ["export", "--type", "skus", "--output", base.appendingPathComponent("skus.json").path, "-q"],
            ["counts"], ["jobs"], ["runs"], ["run", pipeline.path, "-q"],
            ["duplicate", "--from", "test", "--to", "live", "-q"],
        ]
        for arguments in refused {
            let (status, text) = try await Self.ferry(arguments + ["--data-dir", missing])
            #expect(status != 0, "\(arguments[0]): \(text)")
            #expect(text.contains("no dataset at \(missing) (run `ferry seed` or pass `--data-dir`)"), "\(arguments[0]): \(text)")
            #expect(!FileManager.default.fileExists(atPath: missing), "\(arguments[0]) made \(missing)")
        }
        // From another folder with no data directory given: ./.ferry is not made either.
        let (elsewhere, elsewhereText) = try await CommandLineSafetyTests.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$0\" && exec \"$1\" counts", base.path, CommandLineSafetyTests.binary.path],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(elsewhere != 0 && elsewhereText.contains("no dataset at \(base.appendingPathComponent(".ferry").path)"), "\(elsewhereText)")
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent(".ferry").path))

        // A seeded test dataset: the live one is still not made by reading it.
        let (seeded, seedText) = try await Self.ferry(["seed", "--data-dir", missing, "--skus", "5", "-q"])
        try #require(seeded == 0, "\(seedText)")
        let (live, liveText) = try await Self.ferry(["counts", "--data-dir", missing, "--mode", "live"])
        #expect(live != 0 && liveText.contains("no live dataset at \(missing)"), "\(liveText)")
        #expect(!FileManager.default.fileExists(atPath: "\(missing)/live.sqlite"))
        // Writing commands that may create one say so.
        let (copied, copyText) = try await Self.ferry(["duplicate", "--data-dir", missing, "--from", "test", "--to", "live", "-q"])
        #expect(copied == 0, "\(copyText)")
        #expect(copyText.contains("creating the live dataset at \(missing)"), "\(copyText)")
        #expect(FileManager.default.fileExists(atPath: "\(missing)/live.sqlite"))
    }

    @Test("a --mode that disagrees with the server token's mode is an error, before anything is created there")
    func modeAgreesWithToken() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let token = try await fixture.token(.test)
        try await fixture.withApp(workers: fixture.pool(), live: true) { test in
            let server = "http://127.0.0.1:\(try #require(test.port))"
            let output = fixture.url.appendingPathComponent("remote.json").path
            let (status, text) = try await Self.ferry(["export", "--server", server, "--mode", "live", "--type", "skus", "--output", output, "-q"],
                                                      environment: ["FERRY_TOKEN": token])
            #expect(status != 0)
            #expect(text.contains("--mode live disagrees with the token, which is for the test dataset"), "\(text)")
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(try fixture.dataset().jobs(JobTypes.exports, offset: 0, limit: 10).total == 0, "no export was created on the server")
            let input = fixture.url.appendingPathComponent("in.json").path
            try Data("[]".utf8).write(to: URL(fileURLWithPath: input))
            let (imported, importText) = try await Self.ferry(["import", "--server", server, "--mode", "live", "--type", "skus", "--input", input, "-q"],
                                                              environment: ["FERRY_TOKEN": token])
            #expect(imported != 0 && importText.contains("disagrees with the token"), "\(importText)")
            // The mode the token is for, given or not, works.
            for mode in [["--mode", "test"], []] {
                let (agreed, agreedText) = try await Self.ferry(["export", "--server", server, "--type", "skus", "--output", output, "-q"] + mode,
                                                                environment: ["FERRY_TOKEN": token])
                #expect(agreed == 0, "\(agreedText)")
            }
        }
    }

    @Test("a file in a folder that does not exist is refused before any work unless --mkdir is given")
    func noSilentMkdir() async throws {
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let dir = fixture.url.path
        let input = fixture.url.appendingPathComponent("skus.json").path
        let (exported, exportText) = try await Self.ferry(["export", "--data-dir", dir, "--type", "skus", "--dry-data", "--output", input, "-q"])
        try #require(exported == 0, "\(exportText)")
        let cases: [(arguments: [String], file: String)] = [
            (["export", "--type", "skus", "-q", "--output"], "a/skus.json"),
            (["import", "--type", "skus", "--input", input, "-q", "--errors-log"], "b/errors.json"),
            (["duplicate", "--from", "test", "-q", "--to-file"], "c/catalog.ferry"),
        ]
        for (arguments, file) in cases {
            let path = fixture.url.appendingPathComponent(file).path
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let (refused, text) = try await Self.ferry(arguments + [path, "--data-dir", dir])
            #expect(refused != 0, "\(arguments[0]): \(text)")
            #expect(text.contains(path) && text.contains("does not exist") && text.contains("--mkdir"), "\(arguments[0]): \(text)")
            #expect(!FileManager.default.fileExists(atPath: folder), "\(arguments[0]) made \(folder)")
            let (made, madeText) = try await Self.ferry(arguments + [path, "--data-dir", dir, "--mkdir"])
            #expect(made == 0, "\(arguments[0]) --mkdir: \(madeText)")
            if arguments[0] != "import" { #expect(FileManager.default.fileExists(atPath: path), "\(arguments[0]) --mkdir wrote \(path)") }
        }
    }

    /// No Swift type name, errno dump or Foundation domain in what a person reads.
    static func expectPlain(_ text: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for raw in ["HTTPClientError", "errno:", "bind(", "CancellationError", "NSCocoaErrorDomain", "Error Domain", "cannot open the file"] {
            #expect(!text.contains(raw), "\(context) shows '\(raw)': \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("network, listening and file errors reach a person as sentences naming the thing, the reason and the fix")
    func plainErrors() async throws {
        let fixture = try await APIFixture(skus: 3)
        defer { fixture.remove() }
        let dir = fixture.url.path
        let output = fixture.url.appendingPathComponent("out.json").path
        let token = try await fixture.token()
        // A port nobody listens on, and one somebody does.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try #require(withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } } == 0)
        try #require(listen(listener, 1) == 0)
        try #require(withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } } == 0)
        let busyPort = Int(UInt16(bigEndian: address.sin_port))

        let (refused, refusedText) = try await Self.ferry(["export", "--server", "http://127.0.0.1:1", "--type", "skus", "--output", output, "-q"],
                                                          environment: ["FERRY_TOKEN": token])
        #expect(refused == 1 && refusedText.contains("cannot reach the server: connection refused") && refusedText.contains("ferry serve"), "\(refusedText)")
        Self.expectPlain(refusedText, "connection refused")
        for server in ["localhost:8080", "http//host name"] {
            let (bad, badText) = try await Self.ferry(["export", "--server", server, "--type", "skus", "--output", output, "-q"], environment: ["FERRY_TOKEN": token])
            #expect(bad != 0 && badText.contains("--server as http://host:port"), "\(server): \(badText)")
            Self.expectPlain(badText, server)
        }
        let (busy, busyText) = try await Self.ferry(["serve", "--data-dir", dir, "--port", String(busyPort), "--log-level", "error"])
        #expect(busy == 1 && busyText.contains("already in use") && busyText.contains("--port"), "\(busyText)")
        Self.expectPlain(busyText, "address in use")
        let missing = fixture.url.appendingPathComponent("nowhere.json").path
        for arguments in [["import", "--data-dir", dir, "--type", "skus", "--input", missing, "-q"],
                          ["import", "--server", "http://127.0.0.1:1", "--type", "skus", "--input", missing, "-q"]] {
            let (status, text) = try await Self.ferry(arguments, environment: ["FERRY_TOKEN": token])
            #expect(status == 1 && text.contains("cannot open \(missing): no such file"), "\(text)")
            #expect(!text.contains("created 0"), "refused before anything ran: \(text)")
            Self.expectPlain(text, "missing input")
        }
    }

    @Test("typos get the nearest name; validate reports every error of a file; exit codes 64, 1 and 78 are documented")
    func typosAndExitCodes() async throws {
        let base = Self.scratch()
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let (sub, subText) = try await Self.ferry(["exprot"])
        #expect(sub == 64 && subText.contains("unknown subcommand 'exprot' — did you mean 'export'?"), "\(subText)")
        let (type, typeText) = try await Self.ferry(["export", "--type", "sku", "--output", "-", "--data-dir", base.path])
        #expect(type == 64 && typeText.contains("unknown type 'sku' — did you mean 'skus'?"), "\(typeText)")
        let (work, _) = try await Self.ferry(["counts", "--data-dir", base.path])
        #expect(work == 1)
        let file = base.appendingPathComponent("bad.yml")
        try """
            name: bad
            sheduel: "0 * * * *"
            source: {type: datset, resource_type: skus}
            transforms:
              - {type: rename, fieldz: {}}
            sink:
              type: ndjson
              pth: /tmp/out.ndjson
            """.write(to: file, atomically: true, encoding: .utf8)
        let (invalid, text) = try await Self.ferry(["validate", file.path, "--data-dir", base.path])
        #expect(invalid == 78, "\(text)")
        for expected in ["sheduel: unknown key — did you mean 'schedule'?", "unknown source stage 'datset' — did you mean 'dataset'?",
                         "unknown option 'fieldz' — did you mean 'fields'?", "unknown option 'pth' — did you mean 'path'?", "4 errors"] {
            #expect(text.contains(expected), "\(expected): \(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent(".ferry").path))
        let (_, help) = try await Self.ferry(["--help"])
        #expect(help.contains("64") && help.contains("78") && help.contains("Exit codes"), "\(help)")
    }

    @Test("ferry completion prints bash, zsh and fish scripts; status words are coloured only on a terminal, never with NO_COLOR")
    func completionAndColour() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let (status, script) = try await Self.ferry(["completion", shell])
            #expect(status == 0 && script.contains("export") && script.contains("duplicate"), "\(shell): \(script.prefix(200))")
        }
        let (unknown, text) = try await Self.ferry(["completion", "bsh"])
        #expect(unknown == 64 && text.contains("did you mean 'bash'?"), "\(text)")
        let base = Self.scratch()
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("ok.yml")
        try "name: ok\nsource: {type: dataset, resource_type: tags}\nsink: {type: ndjson, path: \(base.path)/tags.ndjson}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        // Not a terminal: plain.
        let (piped, pipedText) = try await Self.ferry(["validate", file.path])
        #expect(piped == 0 && pipedText.contains("✓") && !pipedText.contains("\u{1B}["), "\(pipedText)")
        // Under a pseudo-terminal (script(1)): coloured, unless NO_COLOR.
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try #require(FileManager.default.isExecutableFile(atPath: script.path), "script(1) gives the command a pseudo-terminal")
        let command = "\(CommandLineSafetyTests.binary.path) validate \(file.path)"
        let (_, coloured) = try await CommandLineSafetyTests.run(script, ["-qec", command, "/dev/null"], environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm"])
        #expect(coloured.contains("\u{1B}[32m✓"), "\(coloured)")
        let (_, plain) = try await CommandLineSafetyTests.run(script, ["-qec", command, "/dev/null"], environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm", "NO_COLOR": "1"])
        #expect(plain.contains("✓") && !plain.contains("\u{1B}[32m"), "\(plain)")
    }

    @Test("the README's import line imports a file an earlier line makes; the CSV layout of includes is in the README and export --help")
    func readmeSteps() async throws {
        let readme = try String(contentsOf: OpenAPITests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        let importLine = try #require(lines.firstIndex { $0.hasPrefix("ferry import --type prices") })
        #expect(lines[..<importLine].contains { $0.hasPrefix("ferry export") && $0.contains("--output prices.json.gz") }, "an earlier step makes prices.json.gz")
        #expect(readme.contains("`rel.attr`") && readme.contains("JSON array"))
        let (_, help) = try await Self.ferry(["export", "--help"])
        #expect(help.contains("rel.attr") && help.contains("JSON array"), "\(help)")
        // The two lines, run as written (within a seeded data directory).
        let fixture = try await APIFixture(skus: 5)
        defer { fixture.remove() }
        let file = fixture.url.appendingPathComponent("prices.json.gz").path
        let (exported, exportText) = try await Self.ferry(["export", "--data-dir", fixture.url.path, "--type", "prices", "--dry-data", "--output", file, "-q"])
        #expect(exported == 0, "\(exportText)")
        let (imported, importText) = try await Self.ferry(["import", "--data-dir", fixture.url.path, "--type", "prices", "--mode", "test", "--input", file, "-q"])
        #expect(imported == 0 && importText.contains("errors 0"), "\(importText)")
    }
}
