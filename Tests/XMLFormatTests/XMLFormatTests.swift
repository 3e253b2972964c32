import CLibXML2
import FerryCore
import FerryStages
import FerryStore
import FerryTestSupport
import Foundation
import Testing
import XMLFormat

@Suite struct XMLFormatTests {
    let catalog = ResourceCatalog.commerce

    /// A seeded data directory with a registry that knows the XML plugin.
    struct Fixture {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-xml-\(UUID().uuidString)")
        let environment: StageEnvironment
        let registry = StageRegistry()

        init(skus: Int) throws {
            environment = StageEnvironment(directory: DataDirectory(url: url))
            try DatasetSeeder(dataset: environment.dataset(.test), options: .init(skus: skus)).run()
            try BuiltinStages.register(into: registry, environment: environment)
            try XMLFormatPlugin.register(into: registry)
        }

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func remove() { try? FileManager.default.removeItem(at: url) }

        func export(_ plan: ExportPlan, from checkpoint: Checkpoint? = nil, observer: some PipelineObserver = SilentObserver()) async throws {
            var plan = plan
            plan.sinkType = "xml"
            _ = try await PipelineRunner().run(registry.build(plan.definition(catalog: .commerce), catalog: .commerce), from: checkpoint, observer: observer)
        }
    }

    @Test func outputIsValidAgainstTheSchemaAndParsesWithPython() async throws {
        let fixture = try Fixture(skus: 30)
        defer { fixture.remove() }
        let file = fixture.path("skus.xml")
        try await fixture.export(ExportPlan(resourceType: "skus", includes: ["prices.price_tiers", "shipping_category"], output: file, batchSize: 7))
        // libxml2's schema validator against docs/ferry-xml-1.xsd.
        let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/ferry-xml-1.xsd").path
        let parser = try #require(xmlSchemaNewParserCtxt(schemaPath))
        let schema = try #require(xmlSchemaParse(parser))
        let validator = try #require(xmlSchemaNewValidCtxt(schema))
        #expect(xmlSchemaValidateFile(validator, file, 0) == 0)
        xmlSchemaFreeValidCtxt(validator)
        xmlSchemaFree(schema)
        xmlSchemaFreeParserCtxt(parser)
        // An independent parser: Python's ElementTree.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sys, xml.etree.ElementTree as ET
            ns = {'f': 'https://ferry.dev/xml/1'}
            root = ET.parse(sys.argv[1]).getroot()
            records = root.findall('f:record', ns)
            first = records[0]
            print(root.get('type'), len(records), len(first.find('f:prices', ns).findall('f:record', ns)), first.find('f:shipping_category', ns).get('type'))
            """, file]
        let pipe = Pipe.closedOnExec()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "skus 30 3 record")
    }

    @Test func everyTypeRoundTripsThroughXML() async throws {
        let fixture = try Fixture(skus: 25)
        defer { fixture.remove() }
        for type in try catalog.dependencyOrder() {
            let linked = type.relationships.filter { if case .manyToMany = $0.kind { true } else { false } }.map(\.name)
            let file = fixture.path("\(type.name).xml.gz")
            try await fixture.export(ExportPlan(resourceType: type.name, includes: linked, dryData: true, output: file, batchSize: 11))
            let sink = DatasetSink(dataset: try fixture.environment.dataset(.live), type: type, options: .init())
            _ = try await PipelineRunner().run(Pipeline(name: "xml-import", source: XMLFileSource(path: file, resourceType: type), sink: sink, batchSize: 9))
            let report = await sink.report
            #expect(report.errors == 0, "\(type.name): \(report.errorsLogJSON.jsonText)")
        }
        let duplicator = DatasetDuplicator(environment: fixture.environment, from: .test, to: .live)
        for type in catalog.types {
            let source = try await duplicator.digest(type, of: fixture.environment.dataset(.test))
            let target = try await duplicator.digest(type, of: fixture.environment.dataset(.live))
            #expect(source == target, "\(type.name) differs after an XML round trip")
        }
    }

    @Test func aResumedXMLExportIsByteIdentical() async throws {
        let fixture = try Fixture(skus: 60)
        defer { fixture.remove() }
        let straight = fixture.path("a.xml.gz"), resumed = fixture.path("b.xml.gz")
        try await fixture.export(ExportPlan(resourceType: "skus", includes: ["prices"], output: straight, batchSize: 10))
        let recorder = Recorder()
        let plan = ExportPlan(resourceType: "skus", includes: ["prices"], output: resumed, batchSize: 10, flushBytes: 1)
        await #expect(throws: CancellationError.self) { try await fixture.export(plan, observer: recorder) }
        let checkpoint = try #require(await recorder.last)
        try await fixture.export(plan, from: checkpoint)
        // flush_bytes changes only where gzip members end, so compare the inflated bytes.
        #expect(try inflate(straight) == inflate(resumed))
    }

    @Test func malformedXMLNamesTheLine() async throws {
        let fixture = try Fixture(skus: 1)
        defer { fixture.remove() }
        let file = fixture.path("bad.xml")
        try "<?xml version=\"1.0\"?>\n<records xmlns=\"https://ferry.dev/xml/1\">\n<record><code>A</code></record>\n<record><amount type=\"integer\">x1</amount></record>\n</records>\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        await #expect {
            try await XMLFileSource(path: file, resourceType: nil).read(from: nil, batchSize: 10) { _ in }
        } throws: { error in
            let text = String(describing: error)
            return text.contains("line 4") && text.contains("record 2") && text.contains("amount")
        }
        try "<records><record><code>A</code></record>".write(toFile: file, atomically: true, encoding: .utf8)
        await #expect(throws: FormatError.self) { try await XMLFileSource(path: file, resourceType: nil).read(from: nil, batchSize: 10) { _ in } }
    }

    func inflate(_ path: String) throws -> [UInt8] {
        var stream = try ByteStream(path: path)
        var bytes: [UInt8] = []
        while let byte = try stream.take() { bytes.append(byte) }
        return bytes
    }
}

actor Recorder: PipelineObserver {
    var last: Checkpoint?
    var count = 0
    func checkpoint(_ checkpoint: Checkpoint) async throws {
        last = checkpoint
        count += 1
        if count == 3 { throw CancellationError() }
    }
}
