import FerryCore
import Foundation

extension DataDirectory {
    /// The file holding a job's attachment: an export's output or an import's stored inputs,
    /// gzip-compressed (`attachments/test/exports/<id>.json.gz`). Each mode has its own folder.
    public func attachmentURL(mode: DatasetMode, kind: JobKind, id: String, format: String) -> URL {
        URL(fileURLWithPath: attachmentPath(mode: mode, kind: kind, id: id, format: format), isDirectory: false)
    }

    /// ``attachmentURL(mode:kind:id:format:)`` as a path, made without `URL` on the API's hot path.
    public func attachmentPath(mode: DatasetMode, kind: JobKind, id: String, format: String) -> String {
        let root = url.path
        return (root.hasSuffix("/") ? root : root + "/") + "attachments/\(mode.rawValue)/\(kind.rawValue)/\(id).\(format).gz"
    }

    /// The file holding the server's signing secret.
    public var secretURL: URL { url.appendingPathComponent("secret") }
}
