import Dispatch
import Foundation

/// Redraws a block of text on a timer until Ctrl-C: on a terminal in place (cursor home, each line
/// cleared to its end, the rest of the screen cleared), elsewhere (a pipe, a file) printed anew
/// each time without any control codes.
struct LiveTable {
    /// Seconds between two draws.
    let interval: Double
    /// Whether standard output is a terminal.
    let isTerminal: Bool

    /// A live table drawing every `interval` seconds on standard output.
    init(interval: Double, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.interval = interval
        self.isTerminal = isTerminal
    }

    /// Draws `frame()`'s text, waits, and again, until SIGINT (then exits 0) or `frame` throws.
    func run(_ frame: () async throws -> String) async throws -> Never {
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { [isTerminal] in
            if isTerminal { FileHandle.standardOutput.write(Data("\u{1B}[?25h\n".utf8)) }
            exit(0)
        }
        interrupt.resume()
        if isTerminal { FileHandle.standardOutput.write(Data("\u{1B}[?25l\u{1B}[2J".utf8)) }
        while true {
            let text = try await frame()
            FileHandle.standardOutput.write(Data(render(text).utf8))
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
    }

    /// One frame as written: with the terminal's codes, or plain and followed by a blank line.
    func render(_ text: String) -> String {
        guard isTerminal else { return text + "\n\n" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return "\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\n\u{1B}[J"
    }
}
