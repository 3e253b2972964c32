import Synchronization

/// Stops running jobs of this process at once, when the API interrupts or deletes them: the
/// job's worker listens on its signal beside the pipeline. (A job running in another process
/// notices at its next heartbeat, when renewing its lease fails.)
public final class JobStopSignals: Sendable {
    private let listeners = Mutex<[String: AsyncStream<Void>.Continuation]>([:])

    /// Creates an empty registry.
    public init() {}

    /// Starts listening for a stop of job `id`.
    func listen(_ id: String) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        listeners.withLock { $0[id] = continuation }
        return stream
    }

    /// Stops listening.
    func remove(_ id: String) {
        listeners.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    /// Asks the job `id` to stop within a batch, if it runs in this process; returns whether it does.
    @discardableResult
    public func stop(_ id: String) -> Bool {
        guard let continuation = listeners.withLock({ $0[id] }) else { return false }
        continuation.yield()
        return true
    }
}
