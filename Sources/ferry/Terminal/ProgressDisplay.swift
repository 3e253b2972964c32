import Foundation

/// A one-line progress bar on standard error, redrawn at most ten times a second, shown only
/// when standard error is a terminal (so logs and pipes stay clean).
final class ProgressDisplay {
    private let enabled: Bool
    private var lastDraw: Double = 0
    private var lastLabel = ""
    private let start = Date()

    /// Creates a display; `quiet` turns it off.
    init(quiet: Bool = false) {
        enabled = !quiet && isatty(FileHandle.standardError.fileDescriptor) != 0
    }

    /// Shows `completed` of `total` for a step, with rate and remaining time.
    func update(_ label: String, completed: Int, total: Int, rateSince stepStart: Date? = nil) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        guard label != lastLabel || completed >= total || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        lastLabel = label
        let fraction = total > 0 ? min(1, Double(completed) / Double(total)) : 1
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = max(0.001, Date().timeIntervalSince(stepStart ?? start))
        let rate = Double(completed) / elapsed
        let eta = rate > 0 && completed < total ? " ETA \(Self.duration(Double(total - completed) / rate))" : ""
        let line = "\(label.padding(toLength: 26, withPad: " ", startingAt: 0)) \(bar) \(Self.count(completed))/\(Self.count(total)) \(Self.count(Int(rate)))/s\(eta)"
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    /// Clears the progress line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func count(_ n: Int) -> String {
        switch n {
        case 1_000_000...: return String(format: "%.1fM", Double(n) / 1_000_000)
        case 10_000...: return String(format: "%.0fk", Double(n) / 1_000)
        default: return String(n)
        }
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
