import FerryTestSupport
import Foundation
import Synchronization
import Testing

/// A program started in the background whose standard output and error are collected as they
/// come; ``stop()`` sends SIGTERM and waits for it to end.
final class RunningProgram: Sendable {
    private let process: Process
    private let pipes: (output: Pipe, errors: Pipe)
    private let collected = Collected()

    /// What the program wrote so far, shared with the pipes' handlers.
    private final class Collected: Sendable {
        let bytes = Mutex<(output: [UInt8], errors: [UInt8])>(([], []))
        func withLock<T>(_ body: (inout (output: [UInt8], errors: [UInt8])) -> T) -> T { bytes.withLock { body(&$0) } }
    }

    /// Starts `executable` with `arguments` and `environment`.
    init(_ executable: URL, _ arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let output = Pipe.closedOnExec()
        let errors = Pipe.closedOnExec()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        self.process = process
        self.pipes = (output, errors)
        let collected = collected
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0.output += data }
        }
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0.errors += data }
        }
        try process.run()
    }

    /// What it wrote to standard output so far.
    var output: String { String(decoding: collected.withLock { $0.output }, as: UTF8.self) }
    /// What it wrote to standard error so far.
    var errors: String { String(decoding: collected.withLock { $0.errors }, as: UTF8.self) }

    /// Polls until `ready` holds (or the program ends, or the deadline passes: nil).
    func wait<T>(deadline seconds: Double = 30, for ready: (RunningProgram) -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let value = ready(self) { return value }
            if !process.isRunning { return ready(self) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// What a pipe holds now, read without waiting for more.
    private static func readAvailable(_ handle: FileHandle) -> [UInt8] {
        let descriptor = handle.fileDescriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// Sends `signal` (SIGTERM by default) and waits for the program to end; its exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            Issue.record("the program did not end within 30 s of the signal")
        }
        process.waitUntilExit()
        // What it wrote last may still be in the pipes: read them to their end.
        pipes.output.fileHandleForReading.readabilityHandler = nil
        pipes.errors.fileHandleForReading.readabilityHandler = nil
        // Without blocking: a child of the program (a pty's shell) may still hold the pipes open,
        // and a read to their end would then hold one of the threads Swift's tasks share forever.
        let output = Self.readAvailable(pipes.output.fileHandleForReading)
        let errors = Self.readAvailable(pipes.errors.fileHandleForReading)
        collected.withLock {
            $0.output += output
            $0.errors += errors
        }
        return process.terminationStatus
    }
}
