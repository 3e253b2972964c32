import FerryCore
import FerryStore
import Foundation

/// Renders jobs as JSON:API resource objects and documents (SPEC §2, §3, §7).
struct JobDocument {
    let kind: JobKind
    let mode: DatasetMode
    let base: String
    let services: FerryServices

    /// The resource object of a job: attributes in catalog order (with a freshly signed
    /// `attachment_url` when there is one), `links.self` and `meta.mode`.
    func resource(_ record: Record, fields: [String]? = nil) -> JSONValue {
        let id = record.id ?? ""
        let selfURL = "\(base)/api/\(kind.rawValue)/\(id)"
        var attributes: [JSONMember] = []
        let wanted = fields.map(Set.init)
        for (name, value) in record.fields where name != "id" {
            if wanted == nil || wanted!.contains(name) { attributes.append(JSONMember(name, value.jsonValue)) }
            if name == "errors_log" || name == "skip_errors", wanted == nil || wanted!.contains("attachment_url") {
                attributes.append(JSONMember("attachment_url", attachmentURL(record).map(JSONValue.string) ?? .null))
            }
        }
        return .object([
            JSONMember("id", .string(id)), JSONMember("type", .string(kind.rawValue)),
            JSONMember("links", .object([JSONMember("self", .string(selfURL))])),
            JSONMember("attributes", .object(attributes)),
            JSONMember("meta", .object([JSONMember("mode", .string(mode.rawValue))])),
        ])
    }

    /// The signed URL of the job's attachment, when it has one: a completed export's output, an
    /// import's stored inputs.
    func attachmentURL(_ record: Record) -> String? {
        guard let id = record.id else { return nil }
        if kind == .export, record["status"]?.stringValue != JobStatus.completed.rawValue { return nil }
        let format = record["format"]?.stringValue ?? "json"
        let file = services.environment.directory.attachmentURL(mode: mode, kind: kind, id: id, format: format)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return services.attachments.url(base: base, mode: mode, kind: kind, id: id, lifetime: services.settings.attachmentLifetime)
    }

    /// A single-resource document.
    func single(_ record: Record, fields: [String]? = nil) -> JSONValue {
        .object([JSONMember("data", resource(record, fields: fields))])
    }

    /// A list document with pagination links and counts.
    func list(_ records: [Record], total: Int, parameters: ListParameters, query: String) -> JSONValue {
        let pages = max(1, (total + parameters.pageSize - 1) / parameters.pageSize)
        func link(_ page: Int) -> JSONValue {
            var items = query.split(separator: "&").filter { !$0.hasPrefix("page%5Bnumber%5D=") && !$0.hasPrefix("page[number]=") }.map(String.init)
            items.append("page[number]=\(page)")
            if !items.contains(where: { $0.hasPrefix("page[size]=") || $0.hasPrefix("page%5Bsize%5D=") }) { items.append("page[size]=\(parameters.pageSize)") }
            return .string("\(base)/api/\(kind.rawValue)?" + items.joined(separator: "&"))
        }
        var links: [JSONMember] = [JSONMember("first", link(1))]
        if parameters.pageNumber > 1 { links.append(JSONMember("prev", link(min(parameters.pageNumber - 1, pages)))) }
        if parameters.pageNumber < pages { links.append(JSONMember("next", link(parameters.pageNumber + 1))) }
        links.append(JSONMember("last", link(pages)))
        let fields = parameters.fields[kind.rawValue]
        return .object([
            JSONMember("data", .array(records.map { resource($0, fields: fields) })),
            JSONMember("meta", .object([JSONMember("record_count", .int(Int64(total))), JSONMember("page_count", .int(Int64(pages)))])),
            JSONMember("links", .object(links)),
        ])
    }
}
