import FerryCore
import FerryStages
import Foundation
import Testing

@Suite struct ResumeAndPipelineFileTests {
    @Test(arguments: [OutputFormat.json, .csv, .ndjson])
    func aResumedExportIsByteIdenticalToAnUninterruptedOne(format: OutputFormat) async throws {
        let dir = try SeededDirectory(skus: 120)
        defer { dir.remove() }
        let straight = dir.path("straight.\(format.rawValue).gz"), resumed = dir.path("resumed.\(format.rawValue).gz")
        let plan = { (output: String) in
            ExportPlan(resourceType: "skus", format: format, includes: ["prices"], dryData: true, output: output, batchSize: 25, flushBytes: 4096)
        }
        _ = try await dir.export(plan(straight))
        let interrupted = CheckpointRecorder(failAfter: 2)
        await #expect(throws: CancellationError.self) { _ = try await dir.export(plan(resumed), observer: interrupted) }
        let checkpoint = try #require(await interrupted.checkpoints.last)
        #expect(checkpoint.recordsOut > 0 && checkpoint.recordsOut < 120 && checkpoint.recordsOut % 25 == 0)
        let (result, _) = try await dir.export(plan(resumed), from: checkpoint)
        #expect(result.recordsOut == 120)
        let a = try Data(contentsOf: URL(fileURLWithPath: straight)), b = try Data(contentsOf: URL(fileURLWithPath: resumed))
        #expect(a == b, "compressed files are identical")
    }

    @Test func everyShippedPipelineValidates() throws {
        let dir = try SeededDirectory(skus: 5)
        defer { dir.remove() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
        #expect(files.count >= 3)
        for file in files {
            // Pipelines that read live are validated against this empty live dataset: the catalog is the same.
            switch try PipelineFile.loadContent(root.appendingPathComponent(file).path, catalog: .commerce) {
            case .pipeline(let definition): _ = try dir.registry.build(definition, catalog: .commerce)
            case .duplication(let definition): #expect(!definition.types.isEmpty)
            }
        }
    }

    @Test func invalidFilesPointAtTheLine() throws {
        let dir = try SeededDirectory(skus: 2)
        defer { dir.remove() }
        let yaml = """
            name: broken
            source:
              type: dataset
              resource_type: skus
            transforms:
              - type: include
                pathz: [prices]
            sink:
              type: json
              path: out.json
            """
        let definition = try PipelineFile.parse(yaml, file: "broken.yml")
        #expect {
            _ = try dir.registry.build(definition, catalog: .commerce)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("broken.yml:6: transforms[0]") && text.contains("pathz") && text.contains("line 7")
        }
        #expect(throws: StageConfigurationError.self) { try PipelineFile.parse("name: x\nsource: {type: dataset}\n", file: "x.yml") }
        let wrongKind = try PipelineFile.parse("name: x\nsource: {type: json, path: a}\nsink: {type: json, path: b}\n", file: "k.yml")
        #expect(throws: StageConfigurationError.self) { _ = try dir.registry.build(wrongKind, catalog: .commerce) }
    }

    @Test func aDuplicationFileCopiesASubsetThatVerifies() async throws {
        let dir = try SeededDirectory(skus: 20)
        defer { dir.remove() }
        let file = dir.path("dup.yml")
        try "name: d\nduplicate:\n  from: test\n  to: live\n  types: [skus, customers]\n  where:\n    skus: {code_lteq: SKU-000010}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        guard case .duplication(let definition) = try PipelineFile.loadContent(file, catalog: .commerce) else {
            Issue.record("not read as a duplication")
            return
        }
        let results = try await definition.duplicator(environment: dir.environment).run(types: definition.types)
        #expect(results.allSatisfy { $0.verified && $0.report.errors == 0 }, "\(results.filter { !$0.verified }.map(\.type))")
        #expect(results.first { $0.type == "skus" }?.report.created == 10)
        try "name: d\nduplicate: {from: test, to: test}\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: StageConfigurationError.self) { _ = try PipelineFile.loadContent(file, catalog: .commerce) }
        try "name: d\nduplicate: {from: test, to: live, where: {skus: {colour_eq: red}}}\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: StageConfigurationError.self) { _ = try PipelineFile.loadContent(file, catalog: .commerce) }
    }

    @Test func schedulesAreCheckedWithTheirLine() throws {
        #expect {
            _ = try PipelineFile.parse("name: x\nschedule: \"61 * * * *\"\nsource: {type: dataset, resource_type: skus}\nsink: {type: json, path: o}\n", file: "s.yml")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("s.yml:2") && text.contains("minute")
        }
        #expect(throws: StageConfigurationError.self) {
            _ = try PipelineFile.parse("name: x\nschedule: \"0 2 * * *\"\ntimezone: Mars/Olympus\nsource: {type: dataset, resource_type: skus}\nsink: {type: json, path: o}\n", file: "t.yml")
        }
        let valid = try PipelineFile.parse("name: x\nschedule: \"0 2 * * *\"\ntimezone: Europe/Rome\nsource: {type: dataset, resource_type: skus}\nsink: {type: json, path: o}\n", file: "v.yml")
        #expect(valid.schedule == "0 2 * * *")
    }

    @Test func registryRefusesDuplicateNames() throws {
        let registry = StageRegistry()
        let descriptor = StageDescriptor(name: "x", kind: .filter, summary: "", options: []) { _, _ in .filter(LimitFilter(count: 1)) }
        try registry.register(descriptor)
        #expect(throws: StageRegistryError.duplicateName("x")) { try registry.register(descriptor) }
    }

    @Test func whereRenameSetAndAnonymizeTransformRecords() async throws {
        let catalog = ResourceCatalog.commerce
        let customers = try catalog.type(named: "customers")
        let records = [Record(["email": "ada@x.io", "status": "repeat"]), Record(["email": "bo@x.io", "status": "prospect"])]
        let kept = try await WhereFilter(filter: Filter([(key: "status_eq", value: "repeat")], for: customers, in: catalog)).process(records)
        #expect(kept.map { $0["email"] } == [.string("ada@x.io")])
        let renamed = try await RenameTransform(renames: [("email", "mail")]).process(records)
        #expect(renamed[0].names == ["mail", "status"])
        let set = try await SetTransform(assignments: [("status", "vip"), ("origin", "import")]).process(records)
        #expect(set[0]["status"] == "vip" && set[0]["origin"] == "import")
        let anonymize = AnonymizeTransform(fields: ["email"], salt: "s")
        let a = try await anonymize.process(records), b = try await anonymize.process(records)
        #expect(a == b, "deterministic")
        #expect(a[0]["email"] != records[0]["email"] && a[0]["email"]?.stringValue?.hasSuffix("@example.com") == true)
        #expect(a[0]["email"] != a[1]["email"])
        #expect(a[0]["status"] == "repeat")
    }
}
