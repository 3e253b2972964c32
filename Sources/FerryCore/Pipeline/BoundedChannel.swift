import Synchronization

/// A first-in first-out channel between two tasks that holds at most `capacity` elements: a
/// sender suspends while it is full, a receiver while it is empty. This is the runner's
/// backpressure: a slow sink slows the source instead of letting batches pile up in memory.
///
/// Cancelling either side's task, or calling ``cancel()``, fails every waiter with
/// `CancellationError`, so no task stays suspended on a channel nobody serves.
public final class BoundedChannel<Element: Sendable>: Sendable {
    private struct State {
        // At most `capacity` elements: removing from the front is cheap, and a received element
        // is released at once (a consumed slot must not keep a batch alive).
        var buffer: [Element] = []
        var finished = false
        var failure: (any Error)?
        var cancelled = false
        var waitingSenders: [(element: Element, continuation: CheckedContinuation<Void, any Error>)] = []
        var waitingReceiver: CheckedContinuation<Element?, any Error>?

        var count: Int { buffer.count }

        mutating func popFirst() -> Element? {
            buffer.isEmpty ? nil : buffer.removeFirst()
        }
    }

    private let state = Mutex(State())
    /// The most elements the channel holds.
    public let capacity: Int

    /// Creates a channel holding at most `capacity` (at least 1) elements.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Sends an element, suspending while the channel is full.
    public func send(_ element: Element) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let action: () -> Void = state.withLock { state in
                    if state.cancelled || Task.isCancelled {
                        return { continuation.resume(throwing: CancellationError()) }
                    }
                    precondition(!state.finished, "send after finish")
                    if let receiver = state.waitingReceiver {
                        state.waitingReceiver = nil
                        return {
                            receiver.resume(returning: element)
                            continuation.resume()
                        }
                    }
                    if state.count < capacity {
                        state.buffer.append(element)
                        return { continuation.resume() }
                    }
                    state.waitingSenders.append((element, continuation))
                    return {}
                }
                action()
            }
        } onCancel: {
            cancel()
        }
    }

    /// Ends the stream: once drained, receivers get `nil` (or `error`, when given).
    public func finish(throwing error: (any Error)? = nil) {
        let receiver: CheckedContinuation<Element?, any Error>? = state.withLock { state in
            state.finished = true
            state.failure = error
            guard state.count == 0, state.waitingSenders.isEmpty else { return nil }
            defer { state.waitingReceiver = nil }
            return state.waitingReceiver
        }
        if let error { receiver?.resume(throwing: error) } else { receiver?.resume(returning: nil) }
    }

    /// Receives the next element, suspending while the channel is empty; `nil` once finished.
    public func next() async throws -> Element? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element?, any Error>) in
                let action: () -> Void = state.withLock { state in
                    if state.cancelled || Task.isCancelled {
                        return { continuation.resume(throwing: CancellationError()) }
                    }
                    if let element = state.popFirst() {
                        if !state.waitingSenders.isEmpty {
                            let sender = state.waitingSenders.removeFirst()
                            state.buffer.append(sender.element)
                            return {
                                continuation.resume(returning: element)
                                sender.continuation.resume()
                            }
                        }
                        return { continuation.resume(returning: element) }
                    }
                    if !state.waitingSenders.isEmpty {
                        let sender = state.waitingSenders.removeFirst()
                        return {
                            continuation.resume(returning: sender.element)
                            sender.continuation.resume()
                        }
                    }
                    if state.finished {
                        let failure = state.failure
                        return {
                            if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: nil) }
                        }
                    }
                    precondition(state.waitingReceiver == nil, "one receiver at a time")
                    state.waitingReceiver = continuation
                    return {}
                }
                action()
            }
        } onCancel: {
            cancel()
        }
    }

    /// Fails every current and future waiter with `CancellationError`.
    public func cancel() {
        let (senders, receiver) = state.withLock { state in
            state.cancelled = true
            let senders = state.waitingSenders
            let receiver = state.waitingReceiver
            state.waitingSenders = []
            state.waitingReceiver = nil
            state.buffer = []
            return (senders, receiver)
        }
        for sender in senders { sender.continuation.resume(throwing: CancellationError()) }
        receiver?.resume(throwing: CancellationError())
    }
}
