import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A task executor of dedicated threads, apart from Swift's cooperative pool.
///
/// The cooperative pool has one thread per core and never preempts: a request handler that
/// becomes runnable waits until some batch of a running export reaches its next suspension
/// point. A server runs its jobs on one of these (with `withTaskExecutorPreference`), and its
/// request handlers on another, so the two share the cores through the kernel's preemptive
/// scheduler instead. Child tasks inherit the preference, so a pipeline's stages run here too.
///
/// Threads may run at a lower priority (a positive `niceness`, Linux only): the kernel then gives
/// them a smaller share of a busy machine, and the other threads of the process a larger one.
/// A thread starts with the priority of the thread that started it, so an executor whose threads
/// should keep the process's priority is made before any code runs at a lower one.
public final class ThreadPoolExecutor: TaskExecutor, @unchecked Sendable {
    // The queue is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0
    private var stopping = false

    /// The threads' name (`top -H`, `perf`), numbered from 0.
    public let name: String
    /// The number of threads.
    public let count: Int
    /// The niceness each thread sets for itself (0: as the process).
    public let niceness: Int32

    /// Starts `count` threads named `name-0`… at `niceness` (clamped to 0–19: a thread may lower
    /// its priority, not raise it). Call `shutdown()` once nothing more will be run here.
    public init(name: String, count: Int = ProcessInfo.processInfo.activeProcessorCount, niceness: Int32 = 0) {
        self.name = name
        self.count = max(1, count)
        self.niceness = min(max(0, niceness), 19)
        for index in 0..<self.count {
            // Each thread holds the executor until `shutdown()` lets it end.
            Thread { self.serve(name: "\(name)-\(index)") }.start()
        }
    }

    /// Lets the threads end once the jobs already queued have run.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Queues a job for the next free thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve(name: String) {
        Self.nameCurrentThread(name)
        if niceness > 0 { Self.lowerCurrentThreadPriority(to: niceness) }
        let executor = asUnownedTaskExecutor()
        while let job = next() {
            job.runSynchronously(on: executor)
        }
    }

    /// Gives the calling thread a niceness (0–19; Linux only, elsewhere nothing happens), for
    /// threads other code starts, such as an event loop's.
    public static func lowerCurrentThreadPriority(to niceness: Int32) {
        #if canImport(Glibc)
        // Niceness is per thread on Linux, and `who` 0 is the calling thread, not the process.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(max(0, niceness), 19))
        #endif
    }

    /// Names the calling thread as the system knows it (`top -H`, `perf`; its first 15 bytes).
    ///
    /// On Linux by writing `/proc/thread-self/comm`: Foundation there does not pass on a name set
    /// before `start()`, and setting `Thread.current.name` from the new thread did not always
    /// reach the system either (a test saw the creating thread's name under load).
    static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        // The kernel keeps the first 15 bytes.
        if (try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)) != nil { return }
        #endif
        Thread.current.name = name
    }

    /// The calling thread's name as the system knows it (`/proc/thread-self/comm` on Linux; nil
    /// elsewhere): which threads work runs on, for diagnostics and tests.
    public static var currentThreadName: String? {
        #if os(Linux)
        guard let name = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8) else { return nil }
        return name.trimmingCharacters(in: .newlines)
        #else
        return nil
        #endif
    }

    /// The oldest queued job, waiting for one; nil once stopping with nothing queued.
    private func next() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count {
            if stopping { return nil }
            condition.wait()
        }
        let job = queue[head]
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return job
    }
}
