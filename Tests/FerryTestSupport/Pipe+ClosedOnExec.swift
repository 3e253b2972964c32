import Foundation

extension Pipe {
    /// A pipe whose two ends are closed in every program this process starts, except the child it
    /// is given to (which gets its end as standard input, output or error). Without it, a
    /// long-running program another test starts meanwhile inherits the write end, and whoever reads
    /// this pipe to its end waits for that program instead of for its own child.
    public static func closedOnExec() -> Pipe {
        let pipe = Pipe()
        _ = fcntl(pipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        return pipe
    }
}
