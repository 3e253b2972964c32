import ArgumentParser
import FerryCore
import Foundation

/// `--mkdir`: whether a command may create the missing folders of a file it writes. Without it
/// a file in a folder that does not exist is refused before any work starts (no silent
/// `mkdir -p`: a mistyped path is reported, not made).
struct OutputFileOptions: ParsableArguments {
    @Flag(help: "Create the missing folders of the files written (else a file in a folder that does not exist is refused).")
    var mkdir = false

    /// Checks, before any work, that each file can be written where it is asked for, creating
    /// its folders first with `--mkdir`; nil paths and `-` (standard output) pass.
    func prepare(_ paths: String?...) throws {
        for case let path? in paths where path != "-" {
            if mkdir {
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw CommandFailure(message: "cannot create the directory \(folder.path) for \(path): \(FileSystemReason.of(error, at: folder.path))")
                }
            }
            do {
                try FileSink.Destination(path: path).checkWritable()
            } catch {
                throw CommandFailure(message: "\(error)\(mkdir ? "" : " (pass --mkdir to create it)")")
            }
        }
    }

    /// Writes `data` to `path`; a failure names what was written, the path and the system's reason.
    static func write(_ data: Data, to path: String, what: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(message: "cannot write \(what) \(path): \(FileSystemReason.of(error, at: path))")
        }
    }

    /// Checks, before any work, that an input file can be read; the failure names it and why.
    static func checkReadable(_ path: String?) throws {
        guard let path, path != "-" else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, access(path, R_OK) == 0 { return }
        throw CommandFailure(message: "cannot open \(path): \(CommandFailure.reason(opening: path))")
    }
}
