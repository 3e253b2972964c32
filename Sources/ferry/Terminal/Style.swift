import Foundation

/// Colour for status words, on a terminal only: none when standard output is not a TTY, when
/// `NO_COLOR` is set (https://no-color.org), or when `TERM` is `dumb`.
enum Style {
    /// Whether standard output gets colour.
    static let enabled: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) != 0
    }()

    /// A word in green: done, verified.
    static func ok(_ text: String) -> String { paint(text, "32") }
    /// A word in red: failed, did not verify.
    static func failed(_ text: String) -> String { paint(text, "31") }
    /// A word in yellow: running, queued, skipped.
    static func pending(_ text: String) -> String { paint(text, "33") }

    /// A status word (`completed`, `failed`, `✓`, …) in its colour.
    static func status(_ text: String) -> String {
        switch text {
        case "completed", "verified", "✓": return ok(text)
        case "failed", "interrupted", "✗": return failed(text)
        case "pending", "in_progress", "queued", "skipped", "running": return pending(text)
        default: return text
        }
    }

    static func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
