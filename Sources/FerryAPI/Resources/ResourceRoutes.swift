import FerryCore
import FerryStore
import Hummingbird

/// `GET /api/{type}` and `GET /api/{type}/{id}` for every catalog type: pagination,
/// `filter[q][…]`, `sort`, `fields[type]` and `include=` (related records in `included`, loaded
/// one query per relationship per page), within the token's mode and, for a `sales_channel`
/// token, its market scope — so a client sees exactly what an import wrote.
struct ResourceRoutes: Sendable {
    let services: FerryServices

    func register(on router: RouterGroup<FerryRequestContext>) {
        router.get(":type") { request, context in try await list(request, context) }
        router.get(":type/:id") { request, context in try await retrieve(request, context) }
    }

    private func type(_ context: FerryRequestContext) throws -> ResourceType {
        let name = try context.parameters.require("type")
        guard let type = services.environment.catalog[name] else {
            throw APIError(status: .notFound, code: "NOT_FOUND", title: "Not found", detail: "no resource type '\(name)'")
        }
        return type
    }

    func list(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let token = try context.requireToken()
        let type = try type(context)
        let dataset = try services.environment.dataset(token.mode)
        let parameters = try ListParameters(request.uri, type: type, catalog: dataset.catalog)
        let query = RecordQuery(type: type, filter: parameters.filter, marketIDs: try token.visibleMarketIDs(in: dataset))
        let (records, total) = try dataset.page(query, sort: parameters.sort, offset: parameters.offset, limit: parameters.pageSize, form: .exported)
        let base = services.baseURL(for: request)
        let document = try self.document(records, type: type, parameters: parameters, dataset: dataset, mode: token.mode, base: base)
            + PageLinks.members(total: total, parameters: parameters, base: "\(base)/api/\(type.name)", query: request.uri.query ?? "")
        return JSONAPIResponse.make(status: .ok, document: .object(document))
    }

    func retrieve(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let token = try context.requireToken()
        let type = try type(context)
        let id = try context.parameters.require("id")
        let dataset = try services.environment.dataset(token.mode)
        let parameters = try ListParameters(request.uri, type: type, catalog: dataset.catalog, listing: false)
        let filter = try Filter([(key: "id_eq", value: .string(id))], for: type, in: dataset.catalog)
        let query = RecordQuery(type: type, filter: filter, marketIDs: try token.visibleMarketIDs(in: dataset))
        let records = try dataset.page(query, offset: 0, limit: 1, form: .exported).records
        guard !records.isEmpty else { throw APIError.notFound(type.name, id: id) }
        var document = try self.document(records, type: type, parameters: parameters, dataset: dataset, mode: token.mode, base: services.baseURL(for: request))
        if case .array(let items) = document[0].value { document[0] = JSONMember("data", items[0]) }
        return JSONAPIResponse.make(status: .ok, document: .object(document))
    }

    /// `data` (and `included` when something was included) for a page of records.
    private func document(_ records: [Record], type: ResourceType, parameters: ListParameters, dataset: Dataset, mode: DatasetMode, base: String) throws -> [JSONMember] {
        let tree = try IncludeTree(paths: parameters.include, type: type, catalog: dataset.catalog)
        let loaded = try RelatedRecordLoader(dataset: dataset).include(tree, into: records, of: type)
        let renderer = ResourceDocument(catalog: dataset.catalog, mode: mode, base: base, fields: parameters.fields)
        var included = ResourceDocument.Included()
        var members = [JSONMember("data", .array(renderer.resources(loaded, of: type, included: &included)))]
        if !parameters.include.isEmpty { members.append(JSONMember("included", .array(included.objects))) }
        return members
    }
}
