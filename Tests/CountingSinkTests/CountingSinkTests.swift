import CountingSink
import FerryCore
import FerryStages
import FerryStore
import Foundation
import Testing

/// Builds and runs the example of docs/writing-a-stage.md, as the document shows it.
@Suite struct CountingSinkTests {
    @Test func theDocumentedPluginCountsSkusPerShippingCategory() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-count-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let environment = StageEnvironment(directory: DataDirectory(url: url))
        try DatasetSeeder(dataset: environment.dataset(.test), options: .init(skus: 100)).run()

        let registry = StageRegistry()
        try BuiltinStages.register(into: registry, environment: environment)
        try CountingSinkPlugin.register(into: registry)

        let yaml = """
            name: skus-per-category
            source: {type: dataset, resource_type: skus}
            transforms:
              - {type: dry-data}
            sink: {type: count, field: shipping_category_code}
            """
        let pipeline = try registry.build(PipelineFile.parse(yaml, file: "count.yml"), catalog: .commerce)
        let result = try await PipelineRunner().run(pipeline)

        let expected = try await environment.dataset(.test).pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM skus s JOIN shipping_categories c ON c.id = s.shipping_category_id WHERE c.code = 'standard'")
        }
        #expect(result.sink.recordsWritten == 100)
        #expect(result.sink.counters["standard"] == expected)
        #expect(result.sink.counters.count >= 2)
    }
}
