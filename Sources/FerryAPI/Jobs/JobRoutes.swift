import FerryCore
import FerryJobs
import FerryStore
import Foundation
import Hummingbird

/// The endpoints of the job types: list and retrieve for every one (`exports`, `imports`,
/// `pipeline_runs`); update (`_interrupt`, `_start`, reference, reference_origin, metadata) and
/// delete for exports and imports, whose creation is their own (``ExportCreation``,
/// ``ImportCreation``).
struct JobRoutes: Sendable {
    let type: ResourceType
    let services: FerryServices

    /// The routes of an export or import.
    init(kind: JobKind, services: FerryServices) {
        self.init(type: kind.resourceType, services: services)
    }

    /// The read-only routes of any job type.
    init(type: ResourceType, services: FerryServices) {
        self.type = type
        self.services = services
    }

    private var kind: JobKind { JobKind(rawValue: type.name) ?? .export }

    /// Registers list and retrieve, and with `create` the routes that change jobs.
    func register(on router: RouterGroup<FerryRequestContext>, create: (@Sendable (Request, FerryRequestContext) async throws -> Response)? = nil) {
        let path = RouterPath(stringLiteral: type.name)
        let item = RouterPath(stringLiteral: "\(type.name)/:id")
        router.get(path) { request, context in try await list(request, context) }
        router.get(item) { request, context in try await retrieve(request, context) }
        guard let create else { return }
        router.get(RouterPath(stringLiteral: "\(type.name)/:id/relationships/:relationship")) { request, context in
            try await related(request, context, identifiersOnly: true)
        }
        router.get(RouterPath(stringLiteral: "\(type.name)/:id/:relationship")) { request, context in
            try await related(request, context, identifiersOnly: false)
        }
        router.post(path, use: create)
        router.patch(item) { request, context in try await update(request, context) }
        router.delete(item) { request, context in try await delete(request, context) }
    }

    func document(_ request: Request, _ context: FerryRequestContext) throws -> (JobDocument, Dataset) {
        let token = try context.requireToken()
        let doc = JobDocument(type: type, kind: JobKind(rawValue: type.name), mode: token.mode, base: services.baseURL(for: request), services: services)
        return (doc, try services.environment.dataset(token.mode))
    }

    /// What `include=` may name: the change logs of exports and imports.
    private var includable: Set<String> { JobKind(rawValue: type.name) == nil ? [] : JobLogRelationship.names }

    func list(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let (doc, dataset) = try document(request, context)
        let parameters = try ListParameters(request.uri, type: type, catalog: .jobs, includable: includable)
        let (records, total) = try dataset.jobs(type, filter: parameters.filter, sort: parameters.sort, offset: parameters.offset, limit: parameters.pageSize)
        return JSONAPIResponse.make(status: .ok, document: try await doc.list(records, total: total, parameters: parameters, query: request.uri.query ?? "", dataset: dataset))
    }

    func retrieve(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let (doc, dataset) = try document(request, context)
        let parameters = try ListParameters(request.uri, type: type, catalog: .jobs, includable: includable, listing: false)
        let id = try context.parameters.require("id")
        guard let job = try dataset.job(type, id: id) else { throw APIError.notFound(type.name, id: id) }
        return JSONAPIResponse.make(status: .ok, document: .object(try await doc.withIncluded([job.record], single: true, parameters: parameters, dataset: dataset)))
    }

    /// `/api/{jobs}/{id}/{relationship}` (the related rows, paginated) and
    /// `/api/{jobs}/{id}/relationships/{relationship}` (their resource identifiers).
    func related(_ request: Request, _ context: FerryRequestContext, identifiersOnly: Bool) async throws -> Response {
        let (doc, dataset) = try document(request, context)
        let id = try context.parameters.require("id")
        let name = try context.parameters.require("relationship")
        guard let relationship = JobLogRelationship(rawValue: name) else {
            throw APIError(status: .notFound, code: "NOT_FOUND", title: "Not found",
                           detail: "\(type.name) have no relationship '\(name)'; they have \(JobLogRelationship.names.sorted().joined(separator: ", "))")
        }
        guard try dataset.job(type, id: id) != nil else { throw APIError.notFound(type.name, id: id) }
        let parameters = try ListParameters(request.uri, type: relationship.type, catalog: .jobs, includable: [])
        let filter = Filter(resourceType: relationship.type.name, conditions: try relationship.filter([id]).conditions + parameters.filter.conditions)
        let sort = parameters.sort.isEmpty ? [RecordSort("created_at")] : parameters.sort
        let (records, total) = try dataset.jobs(relationship.type, filter: filter, sort: sort, offset: parameters.offset, limit: parameters.pageSize)
        if identifiersOnly {
            let selfURL = "\(doc.base)/api/\(type.name)/\(id)"
            return JSONAPIResponse.make(status: .ok, document: .object([
                JSONMember("data", .array(records.map { .object([JSONMember("type", .string(name)), JSONMember("id", .string($0.id ?? ""))]) })),
                JSONMember("links", .object([
                    JSONMember("self", .string("\(selfURL)/relationships/\(name)")), JSONMember("related", .string("\(selfURL)/\(name)")),
                ])),
                JSONMember("meta", .object([JSONMember("record_count", .int(Int64(total)))])),
            ]))
        }
        let renderer = JobDocument(type: relationship.type, mode: doc.mode, base: doc.base, services: services)
        // The page links of a related list point at the related URL, not at a top-level list.
        let document = try await renderer.list(
            records, total: total, parameters: parameters, query: request.uri.query ?? "", dataset: dataset,
            listURL: "\(doc.base)/api/\(type.name)/\(id)/\(name)")
        return JSONAPIResponse.make(status: .ok, document: document)
    }

    func update(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let (doc, dataset) = try document(request, context)
        let id = try context.parameters.require("id")
        let body = try await JSONAPIRequestBody.read(request, expectedType: kind.rawValue, id: id, maximumSize: 1 << 20)
        try body.requireOnly(["_interrupt", "_start", "reference", "reference_origin", "metadata"], type: kind.rawValue)
        guard let current = try dataset.job(type, id: id) else { throw APIError.notFound(kind.rawValue, id: id) }
        var changes: [String: Value] = [:]
        if let reference = try body.string("reference") { changes["reference"] = .string(reference) }
        if let origin = try body.string("reference_origin") { changes["reference_origin"] = .string(origin) }
        if body["reference"] == .null { changes["reference"] = .null }
        if body["reference_origin"] == .null { changes["reference_origin"] = .null }
        if let metadata = try body.object("metadata") { changes["metadata"] = .json(metadata) }
        var allowed: Set<JobStatus>? = nil
        let interrupt = try body.bool("_interrupt") == true
        let start = try body.bool("_start") == true
        if interrupt && start {
            throw APIError.validation("send either _interrupt or _start, not both", pointer: JSONAPIRequestBody.pointer("_start"))
        }
        if interrupt {
            guard current.status.isInterruptible else {
                throw APIError.validation("cannot interrupt a \(current.status.rawValue) \(kind.resourceType.singular); only pending or in_progress ones", pointer: JSONAPIRequestBody.pointer("_interrupt"))
            }
            allowed = [.pending, .inProgress]
            changes["status"] = .string(JobStatus.interrupted.rawValue)
            changes["interrupted_at"] = .timestamp(.now)
        }
        if start {
            guard current.status.isStartable else {
                throw APIError.validation("cannot start a \(current.status.rawValue) \(kind.resourceType.singular); only interrupted or failed ones", pointer: JSONAPIRequestBody.pointer("_start"))
            }
            allowed = [.interrupted, .failed]
            changes["status"] = .string(JobStatus.pending.rawValue)
            changes["errors_log"] = .null
        }
        guard let updated = try dataset.updateJob(type, id: id, set: changes, by: .caller(statuses: allowed), lease: interrupt ? (nil, nil) : nil) else {
            // The status moved between the read and the write (the job finished meanwhile).
            throw APIError.validation("the \(kind.resourceType.singular) changed status meanwhile; retrieve it and try again", pointer: JSONAPIRequestBody.pointer(interrupt ? "_interrupt" : "_start"))
        }
        if interrupt { services.stops.stop(id) }
        try JobEventLog(dataset: dataset).record(
            kind, before: current.record, after: updated.record, event: interrupt ? .interrupt : nil, subject: try context.requireToken().sub.value)
        return JSONAPIResponse.make(status: .ok, document: await doc.single(updated.record))
    }

    func delete(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let (_, dataset) = try document(request, context)
        let id = try context.parameters.require("id")
        guard let job = try dataset.job(type, id: id) else { throw APIError.notFound(kind.rawValue, id: id) }
        guard try dataset.deleteJob(type, id: id) else { throw APIError.notFound(kind.rawValue, id: id) }
        services.stops.stop(id)
        try JobEventLog(dataset: dataset).record(kind, before: job.record, after: nil, event: .destroy, subject: try context.requireToken().sub.value)
        let format = job.record["format"]?.stringValue ?? "json"
        try? FileManager.default.removeItem(at: services.environment.directory.attachmentURL(mode: dataset.mode, kind: kind, id: id, format: format))
        return JSONAPIResponse.noContent()
    }
}
