import FerryCore
import Foundation
import Synchronization
import Testing

@Suite("ThreadPoolExecutor")
struct ThreadPoolExecutorTests {
    /// The nice value of the calling thread (field 19 of `/proc/thread-self/stat`).
    static func currentNiceness() throws -> Int32? {
        let stat = try String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)
        // The command name (field 2) is in parentheses and may hold spaces: count after it.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return Int32(fields[16])
    }

    @Test("tasks that prefer it, and their child tasks, run on its threads, across suspensions", .enabled(if: ThreadPoolExecutor.currentThreadName != nil))
    func runsOnItsThreads() async throws {
        let executor = ThreadPoolExecutor(name: "ferry-test", count: 2, niceness: 3)
        defer { executor.shutdown() }
        let seen = Mutex<[String]>([])
        let nicenesses = Mutex<Set<Int32>>([])
        let record: @Sendable () throws -> Void = {
            seen.withLock { $0.append(ThreadPoolExecutor.currentThreadName ?? "?") }
            if let niceness = try Self.currentNiceness() { _ = nicenesses.withLock { $0.insert(niceness) } }
        }
        let sum = try await withTaskExecutorPreference(executor) {
            // The body may start where the caller was; from its first suspension on, it runs on
            // the executor.
            await Task.yield()
            try record()
            await Task.yield()
            try record()
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for part in 0..<8 {
                    group.addTask {
                        try record()
                        await Task.yield()
                        try record()
                        return part
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        #expect(sum == 28)
        let names = seen.withLock { $0 }
        #expect(names.count == 18)
        #expect(Set(names).isSubset(of: ["ferry-test-0", "ferry-test-1"]), "\(Set(names))")
        #expect(nicenesses.withLock { $0 } == [3])
        // Outside the preference, work is back on Swift's own pool.
        #expect(!(ThreadPoolExecutor.currentThreadName ?? "").hasPrefix("ferry-test"))
    }

    @Test("shutdown lets its threads end", .enabled(if: ThreadPoolExecutor.currentThreadName != nil))
    func shutdown() async throws {
        let executor = ThreadPoolExecutor(name: "ferry-ending", count: 2)
        let ran = await withTaskExecutorPreference(executor) {
            await Task.yield()
            return ThreadPoolExecutor.currentThreadName
        }
        #expect(ran?.hasPrefix("ferry-ending") == true)
        executor.shutdown()
        let threads = { () -> Int in
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return tasks.filter { task in
                ((try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? "").hasPrefix("ferry-ending")
            }.count
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while threads() > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(threads() == 0)
    }
}
