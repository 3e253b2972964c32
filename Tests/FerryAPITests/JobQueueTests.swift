import FerryCore
import FerryJobs
import FerryStore
import Foundation
import Synchronization
import Testing

@Suite("The durable job queue", .timeLimit(.minutes(1)))
struct JobQueueTests {
    static func queue(_ dataset: Dataset, count: Int) throws -> [String] {
        var attributes = Record()
        attributes.append("resource_type", "skus")
        return try (0..<count).map { _ in try #require(try dataset.insertJob(JobTypes.exports, attributes: attributes)).id }
    }

    @Test("jobs are claimed oldest first, never twice, within the running limit")
    func claims() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let dataset = try fixture.dataset()
        let ids = try Self.queue(dataset, count: 12)
        #expect(ids == ids.sorted())
        let claimed = try await withThrowingTaskGroup(of: String?.self) { group in
            for worker in 0..<16 {
                group.addTask { try dataset.claimJob(JobTypes.exports, owner: "h:1:w\(worker)", leaseSeconds: 60, runningLimit: 10)?.job.id }
            }
            return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(claimed.count == 10)
        #expect(Set(claimed).count == 10)
        #expect(Set(claimed) == Set(ids.prefix(10)))
        let job = try #require(try dataset.job(JobTypes.exports, id: ids[0]))
        #expect(job.status == .inProgress)
        #expect(job.record["started_at"]?.isNull == false)
    }

    @Test("an empty queue is polled without the write lock, so idle workers never wait on a writer")
    func idlePolling() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let dataset = try fixture.dataset()
        // Another connection (another process, say an import) holds the write lock meanwhile.
        let other = try Dataset(mode: .test, url: dataset.url)
        let claimed = try await other.pool.write { _ in
            try dataset.claimJob(JobTypes.exports, owner: "h:1:idle", leaseSeconds: 60, runningLimit: 10)
        }
        #expect(claimed == nil)
        // With a job queued, the claim does take the lock and gets it.
        let ids = try Self.queue(dataset, count: 1)
        #expect(try dataset.claimJob(JobTypes.exports, owner: "h:1:idle", leaseSeconds: 60, runningLimit: 10)?.job.id == ids[0])
    }

    @Test("a lapsed lease, or a dead process of this host, lets another worker take the job")
    func orphans() async throws {
        let fixture = try await APIFixture(skus: 2)
        defer { fixture.remove() }
        let dataset = try fixture.dataset()
        let ids = try Self.queue(dataset, count: 2)
        let me = WorkerIdentity.current()
        let dead = WorkerIdentity(host: me.host, pid: 999_999, nonce: "gone").description
        let elsewhere = WorkerIdentity(host: "another-host", pid: 999_999, nonce: "x").description
        let now = Date().timeIntervalSince1970
        #expect(try dataset.claimJob(JobTypes.exports, owner: dead, leaseSeconds: 600, runningLimit: 10, now: now)?.job.id == ids[0])
        #expect(try dataset.claimJob(JobTypes.exports, owner: elsewhere, leaseSeconds: 600, runningLimit: 10, now: now)?.job.id == ids[1])
        #expect(try dataset.claimJob(JobTypes.exports, owner: "h:1:a", leaseSeconds: 600, runningLimit: 10, now: now) == nil)
        #expect(try dataset.releaseJobs(JobTypes.exports, heldBy: me.isDeadNeighbour) == 1)
        #expect(try dataset.claimJob(JobTypes.exports, owner: "h:1:a", leaseSeconds: 600, runningLimit: 10, now: now)?.job.id == ids[0])
        // The other host's job waits for its lease to lapse.
        #expect(try dataset.claimJob(JobTypes.exports, owner: "h:1:b", leaseSeconds: 600, runningLimit: 10, now: now + 60) == nil)
        // Once every lease has lapsed, both are claimable again, oldest first.
        #expect(try dataset.claimJob(JobTypes.exports, owner: "h:1:b", leaseSeconds: 600, runningLimit: 10, now: now + 601)?.job.id == ids[0])
        #expect(try dataset.claimJob(JobTypes.exports, owner: "h:1:c", leaseSeconds: 600, runningLimit: 10, now: now + 601)?.job.id == ids[1])
    }

    @Test("graceful shutdown puts a running job back in the queue with its checkpoint; the next start finishes it")
    func shutdown() async throws {
        let fixture = try await APIFixture(skus: 120)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let expected = try await ExportJobTests.directExport(fixture)
        let gate = CheckpointGate()
        let threads = Mutex<Set<String>>([])
        let stopping = fixture.pool(JobConfiguration(
            pollInterval: .milliseconds(5), progressInterval: .zero, batchSize: 7, flushBytes: 1,
            afterCheckpoint: { kind, id, checkpoint in
                _ = threads.withLock { $0.insert(ThreadPoolExecutor.currentThreadName ?? "?") }
                try await gate.hook(kind, id, checkpoint)
            }))
        let id = try await fixture.withApp { client in
            try await client.call(.post, "/api/exports", token: token, body: ExportJobTests.createBody).json.dataID
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await stopping.run() }
            try await gate.waitForCheckpoints(1)
            group.cancelAll()
            await gate.open()
            try await group.waitForAll()
        }
        let queued = try #require(try fixture.dataset().job(JobTypes.exports, id: id))
        #expect(queued.status == .pending)
        #expect(queued.leaseOwner == nil)
        #expect(queued.checkpoint?.recordsIn == 7)
        // The job ran on the pool's own threads, not on Swift's cooperative pool with the requests.
        if ThreadPoolExecutor.currentThreadName != nil {
            #expect(threads.withLock { $0 }.allSatisfy { $0.hasPrefix("ferry-job-") }, "\(threads.withLock { $0 })")
        }
        try await fixture.withApp(workers: fixture.pool()) { client in
            let done = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
            let response = try await ExportJobTests.download(client, done)
            #expect(try await gunzip(Array(response.body.readableBytesView)) == expected)
        }
    }
}
