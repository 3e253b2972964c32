import Foundation

/// The system's reason a file operation failed, in plain words ("No such file or directory",
/// "Permission denied"), from a Foundation error or from the nearest folder that exists.
enum FileSystemReason {
    /// The reason `error` happened at `path`.
    static func of(_ error: any Error, at path: String) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        // Foundation's errors often carry no POSIX code: ask the nearest folder that exists.
        var ancestor = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: ancestor.path) && ancestor.path != "/" { ancestor.deleteLastPathComponent() }
        if access(ancestor.path, W_OK | X_OK) != 0 { return "\(String(cString: strerror(errno))) in \(ancestor.path)" }
        switch CocoaError.Code(rawValue: nsError.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
        case .fileReadNoPermission, .fileWriteNoPermission: return String(cString: strerror(EACCES))
        case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
        case .fileWriteFileExists: return String(cString: strerror(EEXIST))
        default: return nsError.localizedFailureReason ?? nsError.localizedDescription
        }
    }
}
