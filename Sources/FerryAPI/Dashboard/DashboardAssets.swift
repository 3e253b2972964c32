import Foundation
import Mustache

/// The dashboard's files, shipped as the FerryAPI target's resources (`Dashboard/Assets`): the
/// page and panel templates (Mustache), the stylesheet and the script. Read once, at start.
struct DashboardAssets: Sendable {
    /// The templates: `page`, `panel` and its partial `job`.
    let library: MustacheLibrary
    /// The static files served under `/dashboard/assets/`, by name: bytes and media type.
    let files: [String: (bytes: [UInt8], type: String)]

    /// The files' media types, by extension; nothing else is served.
    static let mediaTypes = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]

    /// Errors reading the assets.
    enum LoadError: Error, CustomStringConvertible {
        /// The resources folder is not beside the executable.
        case missing
        /// A template does not parse.
        case template(String)

        var description: String {
            switch self {
            case .missing: "the dashboard's files (FerryAPI's resources) were not found"
            case .template(let name): "the dashboard template \(name) does not parse"
            }
        }
    }

    /// Loads the assets from the target's resource bundle.
    static func load() throws(LoadError) -> DashboardAssets {
        guard let folder = Bundle.module.url(forResource: "Assets", withExtension: nil) else { throw .missing }
        return try load(from: folder)
    }

    /// Loads the assets from a folder.
    static func load(from folder: URL) throws(LoadError) -> DashboardAssets {
        var library = MustacheLibrary()
        var files: [String: (bytes: [UInt8], type: String)] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            let url = URL(fileURLWithPath: name)
            if url.pathExtension == "mustache" {
                do {
                    try library.register(String(decoding: data, as: UTF8.self), named: url.deletingPathExtension().lastPathComponent)
                } catch {
                    throw .template(name)
                }
            } else if let type = mediaTypes[url.pathExtension] {
                files[name] = ([UInt8](data), type)
            }
        }
        guard library.getTemplate(named: "page") != nil, library.getTemplate(named: "panel") != nil else { throw .missing }
        return DashboardAssets(library: library, files: files)
    }
}
