import FerryCore
import FerryStore
import Foundation
import GRDB
import Testing

/// Commands that only read open datasets read-only: no lock file, nothing written.
@Suite("Read-only opening")
struct ReadOnlyOpeningTests {
    func withDirectory(_ body: (DataDirectory) throws -> Void) rethrows {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-readonly-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try body(DataDirectory(url: url))
    }

    @Test("a current dataset is read without its lock file, and cannot be written through")
    func readsWithoutTheLock() throws {
        try withDirectory { directory in
            try Dataset(mode: .test, directory: directory).pool.close()
            let lock = directory.databaseURL(for: .test).path + ".migrate-lock"
            try FileManager.default.removeItem(atPath: lock)
            let dataset = try Dataset(mode: .test, directory: directory, access: .readOnly)
            #expect(try dataset.isEmpty())
            #expect(!FileManager.default.fileExists(atPath: lock), "no lock was taken")
            #expect(throws: DatabaseError.self) { try dataset.pool.write { try $0.execute(sql: "DELETE FROM skus") } }
        }
    }

    @Test("a dataset made by an earlier catalog, or none at all, is opened for writing to be brought up to date")
    func upgradesWhenItMust() throws {
        try withDirectory { directory in
            let created = try Dataset(mode: .live, directory: directory, access: .readOnly)
            #expect(try created.isEmpty())
            try created.pool.close()
            try Dataset(mode: .test, directory: directory, catalog: CatalogUpgradeTests.earlier).pool.close()
            let dataset = try Dataset(mode: .test, directory: directory, catalog: CatalogUpgradeTests.current, access: .readOnly)
            #expect(try dataset.pool.read { try $0.tableExists("tags") })
        }
    }
}
