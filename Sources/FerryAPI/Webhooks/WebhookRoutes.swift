import FerryCore
import FerryJobs
import FerryStore
import Foundation
import Hummingbird

/// `POST`, `PATCH` and `DELETE /api/webhooks` (list and retrieve are ``JobRoutes``): a webhook
/// subscribes a URL to a topic such as `exports.complete`; its `shared_secret`, generated at
/// create, signs every delivery.
struct WebhookRoutes: Sendable {
    let services: FerryServices

    func register(on router: RouterGroup<FerryRequestContext>) {
        router.post("webhooks") { request, context in try await create(request, context) }
        router.patch("webhooks/:id") { request, context in try await update(request, context) }
        router.delete("webhooks/:id") { request, context in try await delete(request, context) }
    }

    private func document(_ request: Request, _ context: FerryRequestContext) throws -> (JobDocument, Dataset) {
        let token = try context.requireToken()
        return (JobDocument(type: JobTypes.webhooks, mode: token.mode, base: services.baseURL(for: request), services: services),
                try services.environment.dataset(token.mode))
    }

    /// The checked topic and callback URL of a body (required at create, optional at update).
    private func checked(_ body: JSONAPIRequestBody, required: Bool) throws -> Record {
        var attributes = Record()
        if let name = try body.string("name") { attributes.append("name", .string(name)) }
        if let topic = try body.string("topic") {
            guard WebhookQueue.topics.contains(topic) else {
                throw APIError.validation("topic must be one of \(WebhookQueue.topics.joined(separator: ", ")), not '\(topic)'", pointer: JSONAPIRequestBody.pointer("topic"))
            }
            attributes.append("topic", .string(topic))
        } else if required {
            throw APIError.validation("topic is required (exports.complete, imports.interrupt, …)", pointer: JSONAPIRequestBody.pointer("topic"))
        }
        if let url = try body.string("callback_url") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw APIError.validation("callback_url must be an absolute http or https URL", pointer: JSONAPIRequestBody.pointer("callback_url"))
            }
            attributes.append("callback_url", .string(url))
        } else if required {
            throw APIError.validation("callback_url is required", pointer: JSONAPIRequestBody.pointer("callback_url"))
        }
        return attributes
    }

    func create(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let (doc, dataset) = try document(request, context)
        let body = try await JSONAPIRequestBody.read(request, expectedType: "webhooks", maximumSize: 1 << 20)
        try body.requireOnly(["name", "topic", "callback_url", "reference", "reference_origin", "metadata"], type: "webhooks")
        var attributes = try checked(body, required: true)
        attributes.append("shared_secret", .string(Hex.random(bytes: 32)))
        attributes.append("failures_count", 0)
        try JobAttributes.copyStandard(from: body, into: &attributes)
        guard let hook = try dataset.insertJob(JobTypes.webhooks, attributes: attributes) else {
            throw APIError(status: .internalServerError, code: "INTERNAL_SERVER_ERROR", title: "Internal server error", detail: "the webhook was not stored")
        }
        return JSONAPIResponse.make(status: .created, document: await doc.single(hook.record), headers: [.location: "\(doc.base)/api/webhooks/\(hook.id)"])
    }

    func update(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let (doc, dataset) = try document(request, context)
        let id = try context.parameters.require("id")
        let body = try await JSONAPIRequestBody.read(request, expectedType: "webhooks", id: id, maximumSize: 1 << 20)
        try body.requireOnly(["name", "topic", "callback_url", "reference", "reference_origin", "metadata"], type: "webhooks")
        var changes: [String: Value] = [:]
        var given = try checked(body, required: false)
        try JobAttributes.copyStandard(from: body, into: &given)
        for (name, value) in given.fields { changes[name] = value }
        guard let hook = try dataset.updateJob(JobTypes.webhooks, id: id, set: changes, by: .caller(statuses: nil)) else {
            throw APIError.notFound("webhooks", id: id)
        }
        return JSONAPIResponse.make(status: .ok, document: await doc.single(hook.record))
    }

    func delete(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let (_, dataset) = try document(request, context)
        let id = try context.parameters.require("id")
        guard try dataset.deleteJob(JobTypes.webhooks, id: id) else { throw APIError.notFound("webhooks", id: id) }
        return JSONAPIResponse.noContent()
    }
}
