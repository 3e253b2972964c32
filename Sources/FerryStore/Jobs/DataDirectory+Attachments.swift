import FerryCore
import Foundation

extension DataDirectory {
    /// The file holding a job's attachment: an export's output or an import's stored inputs,
    /// gzip-compressed (`attachments/test/exports/<id>.json.gz`). Each mode has its own folder.
    public func attachmentURL(mode: DatasetMode, kind: JobKind, id: String, format: String) -> URL {
        url.appendingPathComponent("attachments", isDirectory: true)
            .appendingPathComponent(mode.rawValue, isDirectory: true)
            .appendingPathComponent(kind.rawValue, isDirectory: true)
            .appendingPathComponent("\(id).\(format).gz")
    }

    /// The file holding the server's signing secret.
    public var secretURL: URL { url.appendingPathComponent("secret") }
}
