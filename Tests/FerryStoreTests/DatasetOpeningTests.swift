import FerryCore
import FerryStore
import Foundation
import Testing

@Suite("Opening datasets")
struct DatasetOpeningTests {
    @Test("many openers of one new file at once all get a migrated dataset")
    func concurrentMigrations() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-open-\(UUID().uuidString).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm", ".migrate-lock"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
        }
        let opened = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try Dataset(mode: .test, url: url).recordCounts().count }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(opened == Array(repeating: ResourceCatalog.commerce.types.count, count: 8))
    }
}
