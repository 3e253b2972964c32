import FerryCore
import Foundation
import Synchronization

/// An external program spoken to in JSON lines over its standard input and output, with a
/// deadline on every answer. Standard error is collected for error messages.
///
/// Its state is touched only by the ``ExecSession`` actor that owns it, one call at a time; the
/// `@unchecked` conformance lets that actor await its reads.
final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer: [UInt8] = []
    private var lineNumber = 0
    private let stderrCollector = StderrCollector()
    let command: [String]
    let timeout: Duration

    /// A child that exits makes writes to its input fail with EPIPE; without this, the default
    /// SIGPIPE action would kill Ferry itself instead.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    init(command: [String], timeout: Duration) throws {
        Self.ignoreBrokenPipes
        guard let executable = command.first else { throw ExecError.invalid("'command' must name a program") }
        self.command = command
        self.timeout = timeout
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + command.dropFirst()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let collector = stderrCollector
        errors.fileHandleForReading.readabilityHandler = { handle in collector.append(handle.availableData) }
        do {
            try process.run()
        } catch {
            throw ExecError.failed(command: command.joined(separator: " "), message: "could not start: \(error)", stderr: "")
        }
    }

    deinit {
        terminate()
    }

    /// Sends one JSON line.
    func send(_ value: JSONValue) throws {
        var writer = JSONWriter(capacity: 256)
        writer.write(value)
        try send(bytes: writer.bytes)
    }

    /// Sends bytes already encoded as one JSON line (without the newline).
    func send(bytes: [UInt8]) throws {
        do {
            try input.fileHandleForWriting.write(contentsOf: bytes + [10])
        } catch {
            process.waitUntilExit()
            throw failure("it stopped reading its input and exited (status \(process.terminationStatus), \(process.terminationReason == .uncaughtSignal ? "killed by a signal" : "exit"))")
        }
    }

    /// Reads the next JSON line, within the deadline; kills the program when it misses it.
    func receive() async throws -> JSONValue {
        let line = try await nextLine()
        guard let line else {
            process.waitUntilExit()
            throw failure("it exited (status \(process.terminationStatus)) before answering")
        }
        do {
            let value = try JSONParser.parse(line)
            if case .string("error")? = value["type"] {
                throw failure("it reported: \(value["message"].map { if case .string(let s) = $0 { s } else { $0.jsonText } } ?? "an error")")
            }
            return value
        } catch let error as JSONParseError {
            terminate()
            throw failure("line \(lineNumber) of its output is not JSON (\(error.message)): \(String(decoding: line.prefix(120), as: UTF8.self))")
        }
    }

    private func nextLine() async throws -> [UInt8]? {
        if let line = takeLine() { return line }
        let handle = output.fileHandleForReading
        let deadline = ContinuousClock.now + timeout
        let pid = process.processIdentifier
        while true {
            // Whichever of the read and the deadline settles first wins; the deadline kills the
            // program only if the read has not answered, so a late timer never kills a live child.
            let settled = SettledFlag()
            let chunk: Data? = try await withThrowingTaskGroup(of: Data?.self) { group in
                group.addTask {
                    // A blocking read runs on a dispatch thread, not the cooperative pool.
                    let data = await withCheckedContinuation { continuation in
                        DispatchQueue.global().async { continuation.resume(returning: handle.availableData) }
                    }
                    return settled.claim() ? data : nil
                }
                group.addTask {
                    do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return nil }  // the read answered
                    guard settled.claim() else { return nil }
                    kill(pid, SIGKILL)  // ends the blocked read, so the group can finish
                    return nil
                }
                var answer: Data?
                for try await value in group where value != nil {
                    answer = value
                    group.cancelAll()  // stops the deadline's sleep
                }
                return answer
            }
            guard let chunk else {
                terminate()  // also ends the blocked read with end of file
                throw failure("it did not answer within \(timeout)")
            }
            if chunk.isEmpty {  // end of file
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                lineNumber += 1
                return buffer
            }
            buffer.append(contentsOf: chunk)
            if let line = takeLine() { return line }
        }
    }

    private func takeLine() -> [UInt8]? {
        guard let newline = buffer.firstIndex(of: 10) else { return nil }
        let line = Array(buffer[..<newline])
        buffer.removeSubrange(...newline)
        lineNumber += 1
        return line
    }

    /// Closes the program's input and waits for it to exit within the deadline.
    func finish() async throws {
        try? input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                terminate()
                throw failure("it did not exit within \(timeout) after its input ended")
            }
            try await Task.sleep(for: .milliseconds(5))  // polling the exit with a deadline
        }
        guard process.terminationStatus == 0 else { throw failure("it exited with status \(process.terminationStatus)") }
    }

    /// Kills the program if it still runs.
    func terminate() {
        if process.isRunning {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
        }
        errors.fileHandleForReading.readabilityHandler = nil
    }

    private func failure(_ message: String) -> ExecError {
        .failed(command: command.joined(separator: " "), message: message, stderr: stderrCollector.text)
    }
}

/// Set once by whichever of two racing tasks gets there first.
final class SettledFlag: Sendable {
    private let settled = Atomic<Bool>(false)

    /// True for the first caller only.
    func claim() -> Bool {
        settled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}

/// Standard error of the program, kept to its last few kilobytes.
final class StderrCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        defer { lock.unlock() }
        data.append(chunk)
        if data.count > 8192 { data = data.suffix(8192) }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Why an `exec` stage failed.
public enum ExecError: Error, CustomStringConvertible, Sendable {
    /// The configuration cannot work.
    case invalid(String)
    /// The program misbehaved: what it did, and the end of its standard error.
    case failed(command: String, message: String, stderr: String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        case .failed(let command, let message, let stderr):
            return "exec '\(command)': \(message)" + (stderr.isEmpty ? "" : "; its stderr said: \(stderr)")
        }
    }
}
