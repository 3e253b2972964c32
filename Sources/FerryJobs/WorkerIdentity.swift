import Foundation

/// Who holds a job: `host:pid:nonce` (each claim appends its own `-worker.claim`). A process that finds jobs held by a dead process of its
/// own host releases them at start, so a killed server's jobs resume at once on restart
/// instead of after their lease lapses.
public struct WorkerIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The host name.
    public var host: String
    /// The process id.
    public var pid: Int32
    /// Tells apart pools of one process.
    public var nonce: String

    /// The identity of a new pool in this process.
    public static func current() -> WorkerIdentity {
        WorkerIdentity(host: ProcessInfo.processInfo.hostName, pid: getpid(), nonce: String(UInt32.random(in: 0...UInt32.max), radix: 36))
    }

    /// Creates an identity.
    public init(host: String, pid: Int32, nonce: String) {
        self.host = host
        self.pid = pid
        self.nonce = nonce
    }

    /// Parses `host:pid:nonce`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: String(parts[0]), pid: pid, nonce: String(parts[2]))
    }

    public var description: String { "\(host):\(pid):\(nonce)" }

    /// Whether an owner string names a process of this host that no longer runs.
    public func isDeadNeighbour(_ owner: String) -> Bool {
        guard let other = WorkerIdentity(owner), other.host == host, other.pid != pid else { return false }
        if kill(other.pid, 0) != 0 { return errno == ESRCH }
        // A killed process nobody has reaped yet is a zombie: it still has a pid but runs nothing.
        guard let stat = try? String(contentsOfFile: "/proc/\(other.pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[close...].dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
