import FerryCore
import FerryStore
import Foundation

/// Renders jobs (exports, imports) and pipeline runs as JSON:API resource objects and documents
/// (SPEC §2, §3, §7).
struct JobDocument {
    /// The job type rendered.
    let type: ResourceType
    /// The job kind, for types with attachments.
    let kind: JobKind?
    let mode: DatasetMode
    let base: String
    let services: FerryServices

    /// A renderer for an export or import.
    init(kind: JobKind, mode: DatasetMode, base: String, services: FerryServices) {
        self.init(type: kind.resourceType, kind: kind, mode: mode, base: base, services: services)
    }

    /// A renderer for any job type.
    init(type: ResourceType, kind: JobKind? = nil, mode: DatasetMode, base: String, services: FerryServices) {
        self.type = type
        self.kind = kind
        self.mode = mode
        self.base = base
        self.services = services
    }

    /// The resource object of a job: attributes in catalog order (with a freshly signed
    /// `attachment_url` when there is one), `links.self` and `meta.mode`.
    func resource(_ record: Record, fields: [String]? = nil, linkage: [String: JSONValue] = [:], inputs: ImportInputs.Shown? = nil) -> JSONValue {
        let id = record.id ?? ""
        let selfURL = "\(base)/api/\(type.name)/\(id)"
        var attributes: [JSONMember] = []
        let wanted = fields.map(Set.init)
        for (name, value) in record.fields where name != "id" {
            if name == "inputs_size", let inputs { attributes.append(JSONMember("inputs", inputs.value)) }
            if wanted == nil || wanted!.contains(name) { attributes.append(JSONMember(name, type.presented(value, of: name))) }
            if kind != nil, name == "errors_log" || name == "skip_errors", wanted == nil || wanted!.contains("attachment_url") {
                attributes.append(JSONMember("attachment_url", attachmentURL(record).map(JSONValue.string) ?? .null))
            }
        }
        var members: [JSONMember] = [
            JSONMember("id", .string(id)), JSONMember("type", .string(type.name)),
            JSONMember("links", .object([JSONMember("self", .string(selfURL))])),
            JSONMember("attributes", .object(attributes)),
        ]
        if kind != nil {
            members.append(JSONMember("relationships", .object(JobLogRelationship.allCases.map { relationship in
                var value: [JSONMember] = [JSONMember("links", .object([
                    JSONMember("self", .string("\(selfURL)/relationships/\(relationship.rawValue)")),
                    JSONMember("related", .string("\(selfURL)/\(relationship.rawValue)")),
                ]))]
                if let data = linkage[relationship.rawValue] { value.append(JSONMember("data", data)) }
                return JSONMember(relationship.rawValue, .object(value))
            })))
        }
        var meta = [JSONMember("mode", .string(mode.rawValue))]
        if case .withheld(let note)? = inputs { meta.append(JSONMember("inputs", .string(note))) }
        members.append(JSONMember("meta", .object(meta)))
        return .object(members)
    }

    /// The `inputs` of the imports among `records` that `fields` asks for (all of them when it
    /// is nil), by id.
    func inputs(of records: [Record], fields: [String]?) async -> [String: ImportInputs.Shown] {
        guard kind == .import, fields?.contains("inputs") ?? true else { return [:] }
        var shown: [String: ImportInputs.Shown] = [:]
        for record in records {
            guard let id = record.id else { continue }
            shown[id] = await ImportInputs.read(id: id, record: record, mode: mode, services: services)
        }
        return shown
    }

    /// The signed URL of the job's attachment, when it has one: a completed export's output, an
    /// import's stored inputs.
    func attachmentURL(_ record: Record) -> String? {
        guard let kind, let id = record.id else { return nil }
        if kind == .export, record["status"]?.stringValue != JobStatus.completed.rawValue { return nil }
        let format = record["format"]?.stringValue ?? "json"
        let file = services.environment.directory.attachmentPath(mode: mode, kind: kind, id: id, format: format)
        guard access(file, F_OK) == 0 else { return nil }
        return services.attachments.url(base: base, mode: mode, kind: kind, id: id, lifetime: services.settings.attachmentLifetime)
    }

    /// A single-resource document.
    func single(_ record: Record, fields: [String]? = nil) async -> JSONValue {
        let inputs = await inputs(of: [record], fields: fields)
        return .object([JSONMember("data", resource(record, fields: fields, inputs: record.id.flatMap { inputs[$0] }))])
    }

    /// `data` (one resource or a list) and `included` for jobs whose change logs were asked for
    /// with `include=`: one query per relationship, whatever the number of jobs.
    func withIncluded(_ records: [Record], single: Bool, parameters: ListParameters, dataset: Dataset) async throws -> [JSONMember] {
        var linkage: [String: [String: JSONValue]] = [:]
        var included: [JSONValue] = []
        let ids = records.compactMap(\.id)
        for name in parameters.include {
            guard let relationship = JobLogRelationship(rawValue: name) else { continue }
            let entries = try relationship.entries(of: ids, in: dataset)
            let renderer = JobDocument(type: relationship.type, mode: mode, base: base, services: services)
            var byJob: [String: [JSONValue]] = [:]
            for entry in entries {
                let owner = entry[relationship.ownerAttribute]?.stringValue ?? ""
                byJob[owner, default: []].append(.object([
                    JSONMember("type", .string(relationship.rawValue)), JSONMember("id", .string(entry.id ?? "")),
                ]))
                included.append(renderer.resource(entry, fields: parameters.fields[relationship.rawValue]))
            }
            for id in ids { linkage[id, default: [:]][name] = .array(byJob[id] ?? []) }
        }
        let fields = parameters.fields[type.name]
        let inputs = await inputs(of: records, fields: fields)
        let objects = records.map { resource($0, fields: fields, linkage: linkage[$0.id ?? ""] ?? [:], inputs: inputs[$0.id ?? ""]) }
        var members = [JSONMember("data", single ? objects[0] : .array(objects))]
        if !parameters.include.isEmpty { members.append(JSONMember("included", .array(included))) }
        return members
    }

    /// A list document with pagination links and counts.
    func list(_ records: [Record], total: Int, parameters: ListParameters, query: String, dataset: Dataset, listURL: String? = nil) async throws -> JSONValue {
        let members = try await withIncluded(records, single: false, parameters: parameters, dataset: dataset)
        return .object(members + PageLinks.members(total: total, parameters: parameters, base: listURL ?? "\(base)/api/\(type.name)", query: query))
    }
}
