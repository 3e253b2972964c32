import FerryCore
import FerryStages

/// The checks and copies the creation of every job kind shares: its resource type, its format,
/// and the standard attributes reference, reference_origin and metadata.
enum JobAttributes {
    /// The catalog type a body's `resource_type` names, when `accepts` takes it (422 otherwise).
    static func resourceType(_ body: JSONAPIRequestBody, catalog: ResourceCatalog, role: String, accepts: (ResourceType) -> Bool = { _ in true }) throws -> ResourceType {
        guard let name = try body.string("resource_type") else {
            throw APIError.validation("resource_type is required (skus, prices, …)", pointer: JSONAPIRequestBody.pointer("resource_type"))
        }
        guard let type = catalog[name], accepts(type) else {
            throw APIError.validation(
                "'\(name)' is not \(role) resource type; valid: \(catalog.types.map(\.name).joined(separator: ", "))",
                pointer: JSONAPIRequestBody.pointer("resource_type"))
        }
        return type
    }

    /// The body's `format` (default json), one of the formats stages of `kind` can handle.
    static func format(_ body: JSONAPIRequestBody, registry: StageRegistry, kind: StageKind) throws -> String {
        let format = try body.string("format") ?? "json"
        let formats = self.formats(registry, kind: kind)
        guard formats.contains(format) else {
            throw APIError.validation("format must be one of \(formats.joined(separator: ", ")), not '\(format)'", pointer: JSONAPIRequestBody.pointer("format"))
        }
        return format
    }

    /// The formats a job may have: the built-in ones, and `xml` when a plugin registers it as a
    /// stage of `kind` (a sink for exports, a source for imports).
    static func formats(_ registry: StageRegistry, kind: StageKind) -> [String] {
        OutputFormat.allCases.map(\.rawValue) + ["xml"].filter { registry.descriptor(named: $0, kind: kind) != nil }
    }

    /// Copies reference, reference_origin and metadata when the body gives them.
    static func copyStandard(from body: JSONAPIRequestBody, into attributes: inout Record) throws {
        if let reference = try body.string("reference") { attributes.append("reference", .string(reference)) }
        if let origin = try body.string("reference_origin") { attributes.append("reference_origin", .string(origin)) }
        if let metadata = try body.object("metadata") { attributes.append("metadata", .json(metadata)) }
    }
}
