import FerryCore
import FerryJobs
import FerryStages
import FerryStore
import Hummingbird

/// `POST /api/exports`: validates an export against the catalog, counts the records it selects
/// and queues it (SPEC §2). Create is cheap; a worker runs the job.
struct ExportCreation: Sendable {
    let services: FerryServices

    /// The attributes a client may give.
    static let creatable: Set<String> = [
        "resource_type", "format", "includes", "fields", "filters", "dry_data", "jwt_filters", "reference", "reference_origin", "metadata",
    ]

    func create(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let token = try context.requireToken()
        let body = try await JSONAPIRequestBody.read(request, expectedType: "exports", maximumSize: 1 << 20)
        try body.requireOnly(Self.creatable, type: "exports")
        let catalog = ResourceCatalog.commerce
        let dataset = try services.environment.dataset(token.mode)

        let type = try JobAttributes.resourceType(body, catalog: catalog, role: "an exportable") { !$0.exportableAttributes.isEmpty }
        let format = try JobAttributes.format(body, registry: services.registry, kind: .sink)
        let includes = try body.strings("includes") ?? []
        do {
            _ = try IncludeTree(paths: includes, type: type, catalog: catalog)
        } catch {
            let index = includes.firstIndex(of: error.path).map { "/\($0)" } ?? ""
            throw APIError.validation(String(describing: error), pointer: JSONAPIRequestBody.pointer("includes") + index)
        }
        let fields = try body.strings("fields") ?? []
        do {
            _ = try FieldSelection(paths: fields, type: type, catalog: catalog)
        } catch {
            throw APIError.validation(String(describing: error), pointer: JSONAPIRequestBody.pointer("fields"))
        }
        let filtersObject = try body.object("filters")
        var filter: Filter?
        if let filtersObject {
            do {
                filter = try Filter(filtersObject, for: type, in: catalog)
            } catch {
                throw APIError.validation(String(describing: error), pointer: JSONAPIRequestBody.pointer("filters") + "/\(error.key)")
            }
        }
        let jwtFilters = try body.bool("jwt_filters") ?? false
        var marketCodes: [String] = []
        if jwtFilters, token.hasMarketScope {
            marketCodes = try token.marketCodes(in: dataset)
        }
        var marketIDs: [String]?
        if !marketCodes.isEmpty {
            do {
                marketIDs = try MarketScopeFilter.marketIDs(codes: marketCodes, in: dataset)
            } catch {
                throw APIError.validation("the token's market scope cannot be applied: \(error)", pointer: JSONAPIRequestBody.pointer("jwt_filters"))
            }
        }
        let count = try dataset.count(RecordQuery(type: type, filter: filter, marketIDs: marketIDs))
        // Commerce Layer refuses an export with nothing to export, and says so in the same words.
        guard count > 0 else {
            throw APIError.validation(
                "records_count - must be greater than 0: no \(type.name) match\(filter == nil ? "" : " the filters")",
                pointer: JSONAPIRequestBody.pointer("records_count"), error: "greater_than", value: .int(0), count: 0)
        }

        var attributes = Record()
        attributes.append("resource_type", .string(type.name))
        attributes.append("format", .string(format))
        attributes.append("includes", .json(.array(includes.map(JSONValue.string))))
        attributes.append("fields", .json(.array(fields.map(JSONValue.string))))
        attributes.append("filters", filtersObject.map(Value.json) ?? .null)
        attributes.append("dry_data", .bool(try body.bool("dry_data") ?? false))
        attributes.append("jwt_filters", .bool(jwtFilters))
        attributes.append("records_count", .int(Int64(count)))
        attributes.append("processed_count", 0)
        attributes.append("progress", 0.0)
        try JobAttributes.copyStandard(from: body, into: &attributes)
        let details = JSONValue.object([
            JSONMember("markets", .array(marketCodes.map(JSONValue.string))), JSONMember("subject", .string(token.sub.value)),
        ])
        guard let job = try dataset.insertJob(JobTypes.exports, attributes: attributes, details: details) else {
            throw APIError(status: .internalServerError, code: "INTERNAL_SERVER_ERROR", title: "Internal server error", detail: "the export was not stored")
        }
        try JobEventLog(dataset: dataset).record(.export, before: nil, after: job.record, event: .create, subject: token.sub.value)
        let doc = JobDocument(kind: .export, mode: token.mode, base: services.baseURL(for: request), services: services)
        return JSONAPIResponse.make(status: .created, document: await doc.single(job.record), headers: [.location: "\(doc.base)/api/exports/\(job.id)"])
    }
}
