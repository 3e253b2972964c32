import Foundation
@testable import FerryCore

/// The public resource schema in `../shared/reference/`, when the checkout has it beside it.
enum ReferenceSchema {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/reference/resource-schema.json")

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Field names per singular resource name.
    static let fields: [String: Set<String>] = {
        guard let data = try? Data(contentsOf: url), let document = try? JSONParser.parse(Array(data)),
              case .object(let resources) = document
        else { return [:] }
        var out: [String: Set<String>] = [:]
        for resource in resources {
            if case .object(let fields)? = resource.value["fields"] {
                out[resource.key] = Set(fields.map(\.key))
            }
        }
        return out
    }()
}
