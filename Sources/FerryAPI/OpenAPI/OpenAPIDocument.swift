import FerryCore
import FerryJobs
import FerryStages
import FerryStore

/// The OpenAPI 3.1 document of the server (`GET /openapi.json`), generated from the resource
/// catalog, the filter language and the job types, so it describes exactly the endpoints,
/// parameters (with their grammar: ``OpenAPIGrammar``), bodies, answers and errors the routes
/// implement, with links from a created job to the operations on it for stateful clients.
///
/// A method a path does not list is answered 405 with an `Allow` header naming those it does.
public enum OpenAPIDocument {
    /// The document for a catalog; `exportFormats` and `importFormats` are the formats the stage
    /// registry's sinks and sources handle (`xml` only when its plugin is loaded).
    public static func make(
        catalog: ResourceCatalog = .commerce,
        exportFormats: [String] = OutputFormat.allCases.map(\.rawValue),
        importFormats: [String] = OutputFormat.allCases.map(\.rawValue)
    ) -> JSONValue {
        let schemas = OpenAPISchemas(catalog: catalog, exportFormats: exportFormats, importFormats: importFormats)
        var paths: [JSONMember] = [
            JSONMember("/health", ["get": operation(
                "health", "The server is up.", tags: ["server"], secured: false, parameters: [],
                responses: [response("200", "Up.", schema: OpenAPISchemas.object(["status": ["const": "ok"]], required: ["status"]))])]),
            JSONMember("/attachments/{mode}/{kind}/{id}", ["get": operation(
                "downloadAttachment", "A job's gzip attachment, through the signed URL its attachment_url gives.", tags: ["attachments"],
                secured: false,
                parameters: [
                    pathParameter("mode", enumeration: DatasetMode.allCases.map(\.rawValue)),
                    pathParameter("kind", enumeration: JobKind.allCases.map(\.rawValue)), pathParameter("id"),
                    queryParameter("expires", schema: ["type": "integer"], required: true),
                    queryParameter("signature", schema: OpenAPISchemas.string, required: true),
                    headerParameter("Range"),
                ],
                responses: [
                    JSONMember("200", ["description": "The gzip file.", "content": ["application/gzip": ["schema": ["type": "string", "contentMediaType": "application/gzip"]]]]),
                    JSONMember("206", ["description": "The requested byte range.", "content": ["application/gzip": ["schema": ["type": "string", "contentMediaType": "application/gzip"]]]]),
                    errorResponse("400"), errorResponse("403"), errorResponse("404"), errorResponse("416"),
                ])]),
        ]
        let identified = "$response.body#/data/id"
        // Exports and imports: the full set of operations, linked from create to the rest.
        for kind in JobKind.allCases {
            let type = kind.resourceType
            let tag = [type.name]
            let singular = camel(type.singular)
            var itemOperations = ["retrieve\(singular)", "update\(singular)", "delete\(singular)"]
            for relationship in JobLogRelationship.allCases {
                itemOperations += ["list\(singular)\(camel(relationship.rawValue))", "list\(singular)\(camel(relationship.rawValue))Identifiers"]
            }
            let itemLinks = links(itemOperations, id: identified)
            paths.append(JSONMember("/api/\(type.name)", [
                "get": operation("list\(camel(type.name))", "List \(type.name).", tags: tag,
                                 parameters: listParameters(type, catalog: .jobs, includable: JobLogRelationship.allCases.map(\.rawValue)),
                                 responses: [response("200", "A page of \(type.name).", schema: ref("\(type.name)_list"),
                                                      links: links(["retrieve\(singular)"], id: "$response.body#/data/0/id"))]
                                     + errorResponses(["400", "401", "429"])),
                "post": operation("create\(singular)", "Create (queue) an \(type.singular).", tags: tag, parameters: [],
                                  body: ref("\(type.name)_create"), multipart: kind == .import ? Optional.some(ref("imports_upload")) : Optional<JSONValue>.none,
                                  responses: [response("201", "Created.", schema: ref("\(type.name)_document"), links: itemLinks, location: true)]
                                      + errorResponses(["400", "401", "403", "409", "413", "415", "422", "429"])),
            ]))
            paths.append(JSONMember("/api/\(type.name)/{id}", [
                "get": operation("retrieve\(singular)", "Retrieve an \(type.singular) (its attachment_url is signed afresh).", tags: tag,
                                 parameters: [pathParameter("id")] + singleParameters(type, catalog: .jobs, includable: JobLogRelationship.allCases.map(\.rawValue)),
                                 responses: [response("200", "The \(type.singular).", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "404", "429"])),
                "patch": operation("update\(singular)", "Interrupt, restart, or change reference, reference_origin and metadata. "
                                       + "_interrupt applies to a pending or in_progress \(type.singular), _start to an interrupted or failed one; otherwise 422.",
                                   tags: tag, parameters: [pathParameter("id")], body: ref("\(type.name)_update"),
                                   responses: [response("200", "Updated.", schema: ref("\(type.name)_document"), links: links(["retrieve\(singular)"], id: identified))]
                                       + errorResponses(["400", "401", "404", "409", "413", "415", "422", "429"])),
                "delete": operation("delete\(singular)", "Delete it and its attachment.", tags: tag, parameters: [pathParameter("id")],
                                    responses: [JSONMember("204", ["description": "Deleted."])] + errorResponses(["401", "404", "429"])),
            ]))
            for relationship in JobLogRelationship.allCases {
                let name = camel(relationship.rawValue)
                paths.append(JSONMember("/api/\(type.name)/{id}/\(relationship.rawValue)", ["get": operation(
                    "list\(singular)\(name)", "The \(relationship.rawValue) of an \(type.singular).", tags: tag,
                    parameters: [pathParameter("id")] + listParameters(relationship.type, catalog: .jobs, includable: []),
                    responses: [response("200", "A page of \(relationship.rawValue).", schema: ref("\(relationship.rawValue)_list"))] + errorResponses(["400", "401", "404", "429"]))]))
                paths.append(JSONMember("/api/\(type.name)/{id}/relationships/\(relationship.rawValue)", ["get": operation(
                    "list\(singular)\(name)Identifiers", "The identifiers of an \(type.singular)'s \(relationship.rawValue).", tags: tag,
                    parameters: [pathParameter("id")] + listParameters(relationship.type, catalog: .jobs, includable: []),
                    responses: [response("200", "Resource identifiers.", schema: OpenAPISchemas.identifiers(relationship.rawValue))] + errorResponses(["400", "401", "404", "429"]))]))
            }
        }
        // Pipeline runs (read-only) and webhooks.
        for type in [JobTypes.pipelineRuns, JobTypes.webhooks] {
            let singular = camel(type.singular)
            let isWebhooks = type.name == JobTypes.webhooks.name
            var collection: [JSONMember] = [JSONMember("get", operation(
                "list\(camel(type.name))", "List \(type.name).", tags: [type.name], parameters: listParameters(type, catalog: .jobs, includable: []),
                responses: [response("200", "A page of \(type.name).", schema: ref("\(type.name)_list"), links: links(["retrieve\(singular)"], id: "$response.body#/data/0/id"))]
                    + errorResponses(["400", "401", "429"])))]
            var item: [JSONMember] = [JSONMember("get", operation(
                "retrieve\(singular)", "Retrieve a \(type.singular).", tags: [type.name],
                parameters: [pathParameter("id")] + singleParameters(type, catalog: .jobs, includable: []),
                responses: [response("200", "The \(type.singular).", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "404", "429"])))]
            if isWebhooks {
                let itemLinks = links(["retrieveWebhook", "updateWebhook", "deleteWebhook"], id: identified)
                collection.append(JSONMember("post", operation(
                    "createWebhook", "Subscribe a URL to a topic.", tags: ["webhooks"], parameters: [], body: ref("webhooks_create"),
                    responses: [response("201", "Created.", schema: ref("webhooks_document"), links: itemLinks, location: true)]
                        + errorResponses(["400", "401", "403", "409", "413", "415", "422", "429"]))))
                item.append(JSONMember("patch", operation(
                    "updateWebhook", "Change a webhook.", tags: ["webhooks"], parameters: [pathParameter("id")], body: ref("webhooks_update"),
                    responses: [response("200", "Updated.", schema: ref("webhooks_document"), links: links(["retrieveWebhook"], id: identified))]
                        + errorResponses(["400", "401", "404", "409", "413", "415", "422", "429"]))))
                item.append(JSONMember("delete", operation(
                    "deleteWebhook", "Delete a webhook.", tags: ["webhooks"], parameters: [pathParameter("id")],
                    responses: [JSONMember("204", ["description": "Deleted."])] + errorResponses(["401", "404", "429"]))))
            }
            paths.append(JSONMember("/api/\(type.name)", .object(collection)))
            paths.append(JSONMember("/api/\(type.name)/{id}", .object(item)))
        }
        // Every catalog type, read-only; a list links to the retrieve of its first record.
        for type in catalog.types {
            let singular = camel(type.singular)
            paths.append(JSONMember("/api/\(type.name)", ["get": operation(
                "list\(camel(type.name))", "List \(type.name) (a sales_channel token sees its markets' only).", tags: [type.name],
                parameters: listParameters(type, catalog: catalog, includable: nil),
                responses: [response("200", "A page of \(type.name).", schema: ref("\(type.name)_list"), links: links(["retrieve\(singular)"], id: "$response.body#/data/0/id"))]
                    + errorResponses(["400", "401", "403", "429"]))]))
            paths.append(JSONMember("/api/\(type.name)/{id}", ["get": operation(
                "retrieve\(singular)", "Retrieve a \(type.singular).", tags: [type.name],
                parameters: [pathParameter("id")] + singleParameters(type, catalog: catalog, includable: nil),
                responses: [response("200", "The \(type.singular).", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "403", "404", "429"]))]))
        }

        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Ferry", "version": "0.1.0",
                "description": .string("Exports, imports and commerce resources in Commerce Layer's JSON:API shape (SPEC §2, §3, §7, §8). "
                    + "A method a path does not list is answered 405 with an Allow header."),
            ],
            "security": [["bearer": []]],
            "paths": .object(paths),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": .object(schemas.all()),
            ],
        ]
    }

    // MARK: Operations

    static func camel(_ name: String) -> String {
        name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func ref(_ name: String) -> JSONValue { OpenAPISchemas.ref(name) }

    static func operation(
        _ id: String, _ summary: String, tags: [String], secured: Bool = true, parameters: [JSONValue], body: JSONValue? = nil,
        multipart: JSONValue? = nil, responses: [JSONMember]
    ) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("operationId", .string(id)), JSONMember("summary", .string(summary)), JSONMember("tags", .array(tags.map(JSONValue.string))),
        ]
        if !secured { members.append(JSONMember("security", [])) }
        if !parameters.isEmpty { members.append(JSONMember("parameters", .array(parameters))) }
        if let body {
            var content: [JSONMember] = [
                JSONMember("application/vnd.api+json", ["schema": body]), JSONMember("application/json", ["schema": body]),
            ]
            if let multipart {
                content.append(JSONMember("multipart/form-data", [
                    "schema": multipart,
                    "encoding": ["file": ["contentType": "application/octet-stream"], "metadata": ["contentType": "application/json"]],
                ]))
            }
            members.append(JSONMember("requestBody", ["required": true, "content": .object(content)]))
        }
        members.append(JSONMember("responses", .object(responses)))
        return .object(members)
    }

    /// Links from an answer to operations on the resource whose id `expression` gives.
    static func links(_ operations: [String], id expression: String) -> [JSONMember] {
        operations.map { JSONMember($0, ["operationId": .string($0), "parameters": ["id": .string(expression)]]) }
    }

    static func response(_ status: String, _ description: String, schema: JSONValue, links: [JSONMember] = [], location: Bool = false) -> JSONMember {
        var members: [JSONMember] = [
            JSONMember("description", .string(description)),
            JSONMember("content", ["application/vnd.api+json": ["schema": schema]]),
        ]
        if location {
            members.append(JSONMember("headers", ["Location": ["description": "The created resource's URL.", "required": true, "schema": ["type": "string"]]]))
        }
        if !links.isEmpty { members.append(JSONMember("links", .object(links))) }
        return JSONMember(status, .object(members))
    }

    static func errorResponse(_ status: String) -> JSONMember {
        let descriptions = [
            "400": "BAD_REQUEST: a malformed query parameter, body or document", "401": "UNAUTHORIZED or INVALID_TOKEN",
            "403": "FORBIDDEN: outside the token's scope, or a client-given id on create", "404": "RECORD_NOT_FOUND or NOT_FOUND",
            "409": "CONFLICT: data.type or data.id other than the endpoint's", "413": "CONTENT_TOO_LARGE", "415": "UNSUPPORTED_MEDIA_TYPE",
            "416": "RANGE_NOT_SATISFIABLE", "422": "VALIDATION_ERROR (meta.error says which)", "429": "TOO_MANY_REQUESTS",
        ]
        return response(status, descriptions[status] ?? "Error.", schema: ref("error_document"))
    }

    static func errorResponses(_ statuses: [String]) -> [JSONMember] { statuses.map(errorResponse) }

    // MARK: Parameters

    static func pathParameter(_ name: String, enumeration: [String]? = nil) -> JSONValue {
        var schema: [JSONMember] = [JSONMember("type", "string")]
        if let enumeration { schema.append(JSONMember("enum", .array(enumeration.map(JSONValue.string)))) }
        return ["name": .string(name), "in": "path", "required": true, "schema": .object(schema)]
    }

    static func queryParameter(_ name: String, schema: JSONValue, required: Bool = false, description: String? = nil) -> JSONValue {
        var members: [JSONMember] = [JSONMember("name", .string(name)), JSONMember("in", "query"), JSONMember("required", .bool(required))]
        if let description { members.append(JSONMember("description", .string(description))) }
        members.append(JSONMember("schema", schema))
        return .object(members)
    }

    static func headerParameter(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "header", "required": false, "schema": OpenAPISchemas.string]
    }

    static func pattern(_ expression: String) -> JSONValue { ["type": "string", "pattern": .string(expression)] }

    static var pageParameters: [JSONValue] {
        [
            queryParameter("page[number]", schema: ["type": "integer", "minimum": 1, "maximum": .int(Int64(ListParameters.maximumPageNumber))]),
            queryParameter("page[size]", schema: ["type": "integer", "minimum": 1, "maximum": .int(Int64(ListParameters.maximumPageSize))]),
        ]
    }

    /// `include` and `fields[…]`, which a retrieve and a list take alike.
    static func singleParameters(_ type: ResourceType, catalog: ResourceCatalog, includable: [String]?) -> [JSONValue] {
        var parameters: [JSONValue] = []
        let include: String? = includable.map { $0.isEmpty ? nil : OpenAPIGrammar.includePattern(names: $0) } ?? OpenAPIGrammar.includePattern(type, catalog: catalog)
        if let include {
            parameters.append(queryParameter("include", schema: pattern(include),
                                             description: "Comma-separated relationship paths (dotted, up to \(IncludeTree.maximumDepth) levels) whose records come in 'included'."))
        }
        for fieldsType in ListParameters.fieldsTypes(of: type, catalog: catalog, includable: includable.map(Set.init)) {
            parameters.append(queryParameter("fields[\(fieldsType.name)]", schema: pattern(OpenAPIGrammar.fieldsPattern(fieldsType)),
                                             description: "Comma-separated fields of \(fieldsType.name) to return (empty: none)."))
        }
        return parameters
    }

    static func listParameters(_ type: ResourceType, catalog: ResourceCatalog, includable: [String]?) -> [JSONValue] {
        pageParameters + [
            queryParameter("sort", schema: pattern(OpenAPIGrammar.sortPattern(type)), description: "Comma-separated sortable attributes; '-' for descending."),
            [
                "name": "filter", "in": "query", "required": false, "style": "deepObject", "explode": true,
                "description": .string("filter[q][<attribute>_<predicate>]=value (SPEC §4): an attribute, a belongs-to path to one (up to \(AttributePath.maximumDepth) steps) or several of one type joined by _or_, then a predicate."),
                "schema": ref("\(type.name)_filter_parameter"),
            ],
        ] + singleParameters(type, catalog: catalog, includable: includable)
    }
}
