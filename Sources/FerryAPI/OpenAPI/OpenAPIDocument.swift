import FerryCore
import FerryJobs

/// The OpenAPI 3.1 document of the server (`GET /openapi.json`), generated from the resource
/// catalog and the job types, so it describes exactly the endpoints, parameters, schemas and
/// errors the routes implement.
public enum OpenAPIDocument {
    /// The document for a catalog.
    public static func make(catalog: ResourceCatalog = .commerce) -> JSONValue {
        var paths: [JSONMember] = [
            JSONMember("/health", .object([JSONMember("get", operation(
                "health", "The server is up.", tags: ["server"], secured: false, parameters: [],
                responses: [response("200", "Up.", schema: object(["status": .object([JSONMember("type", "string")])]))]))])),
            JSONMember("/attachments/{mode}/{kind}/{id}", .object([JSONMember("get", operation(
                "downloadAttachment", "A job's gzip attachment, through the signed URL its attachment_url gives.", tags: ["attachments"],
                secured: false,
                parameters: [
                    pathParameter("mode", enumeration: DatasetMode.allCases.map(\.rawValue)),
                    pathParameter("kind", enumeration: JobKind.allCases.map(\.rawValue)), pathParameter("id"),
                    queryParameter("expires", schema: .object([JSONMember("type", "integer")]), required: true),
                    queryParameter("signature", schema: stringSchema, required: true),
                    headerParameter("Range"),
                ],
                responses: [
                    JSONMember("200", .object([JSONMember("description", "The gzip file."), JSONMember("content", .object([JSONMember("application/gzip", .object([JSONMember("schema", .object([JSONMember("type", "string"), JSONMember("contentMediaType", "application/gzip")]))]))]))])),
                    JSONMember("206", .object([JSONMember("description", "The requested byte range."), JSONMember("content", .object([JSONMember("application/gzip", .object([JSONMember("schema", .object([JSONMember("type", "string"), JSONMember("contentMediaType", "application/gzip")]))]))]))])),
                    errorResponse("403"), errorResponse("404"), errorResponse("416"),
                ]))])),
        ]
        // Exports and imports: the full set of operations.
        for kind in JobKind.allCases {
            let type = kind.resourceType
            let tag = [type.name]
            paths.append(JSONMember("/api/\(type.name)", .object([
                JSONMember("get", operation("list\(camel(type.name))", "List \(type.name).", tags: tag, parameters: listParameters(type, includes: JobLogRelationship.allCases.map(\.rawValue)),
                                            responses: [response("200", "A page of \(type.name).", schema: ref("\(type.name)_list"))] + errorResponses(["400", "401", "429"]))),
                JSONMember("post", operation("create\(camel(type.singular))", "Create (queue) an \(type.singular).", tags: tag, parameters: [],
                                             body: ref("\(type.name)_create"), multipart: kind == .import,
                                             responses: [response("201", "Created.", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "403", "409", "413", "415", "422", "429"]))),
            ])))
            paths.append(JSONMember("/api/\(type.name)/{id}", .object([
                JSONMember("get", operation("retrieve\(camel(type.singular))", "Retrieve an \(type.singular) (its attachment_url is signed afresh).", tags: tag,
                                            parameters: [pathParameter("id"), queryParameter("include", schema: stringSchema), fieldsParameter(type)],
                                            responses: [response("200", "The \(type.singular).", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "404", "429"]))),
                JSONMember("patch", operation("update\(camel(type.singular))", "Interrupt, restart, or change reference, reference_origin and metadata.", tags: tag,
                                              parameters: [pathParameter("id")], body: ref("\(type.name)_update"),
                                              responses: [response("200", "Updated.", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "404", "409", "413", "415", "422", "429"]))),
                JSONMember("delete", operation("delete\(camel(type.singular))", "Delete it and its attachment.", tags: tag, parameters: [pathParameter("id")],
                                               responses: [JSONMember("204", .object([JSONMember("description", "Deleted.")]))] + errorResponses(["401", "404", "429"]))),
            ])))
            for relationship in JobLogRelationship.allCases {
                paths.append(JSONMember("/api/\(type.name)/{id}/\(relationship.rawValue)", .object([JSONMember("get", operation(
                    "list\(camel(type.singular))\(camel(relationship.rawValue))", "The \(relationship.rawValue) of an \(type.singular).", tags: tag,
                    parameters: [pathParameter("id")] + listParameters(relationship.type, includes: []),
                    responses: [response("200", "A page of \(relationship.rawValue).", schema: ref("\(relationship.rawValue)_list"))] + errorResponses(["400", "401", "404", "429"])))])))
                paths.append(JSONMember("/api/\(type.name)/{id}/relationships/\(relationship.rawValue)", .object([JSONMember("get", operation(
                    "list\(camel(type.singular))\(camel(relationship.rawValue))Identifiers", "The identifiers of an \(type.singular)'s \(relationship.rawValue).", tags: tag,
                    parameters: [pathParameter("id")] + pageParameters,
                    responses: [response("200", "Resource identifiers.", schema: identifiersSchema)] + errorResponses(["400", "401", "404", "429"])))])))
            }
        }
        // Read-only job types, and webhooks.
        for type in [JobTypes.pipelineRuns, JobTypes.webhooks] {
            var collection: [JSONMember] = [JSONMember("get", operation("list\(camel(type.name))", "List \(type.name).", tags: [type.name], parameters: listParameters(type, includes: []),
                                                                      responses: [response("200", "A page of \(type.name).", schema: ref("\(type.name)_list"))] + errorResponses(["400", "401", "429"])))]
            var item: [JSONMember] = [JSONMember("get", operation("retrieve\(camel(type.singular))", "Retrieve a \(type.singular).", tags: [type.name],
                                                                 parameters: [pathParameter("id"), fieldsParameter(type)],
                                                                 responses: [response("200", "The \(type.singular).", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "404", "429"])))]
            if type.name == "webhooks" {
                collection.append(JSONMember("post", operation("createWebhook", "Subscribe a URL to a topic.", tags: ["webhooks"], parameters: [], body: ref("webhooks_create"),
                                                               responses: [response("201", "Created.", schema: ref("webhooks_document"))] + errorResponses(["400", "401", "403", "409", "413", "415", "422", "429"]))))
                item.append(JSONMember("patch", operation("updateWebhook", "Change a webhook.", tags: ["webhooks"], parameters: [pathParameter("id")], body: ref("webhooks_update"),
                                                          responses: [response("200", "Updated.", schema: ref("webhooks_document"))] + errorResponses(["400", "401", "404", "409", "413", "415", "422", "429"]))))
                item.append(JSONMember("delete", operation("deleteWebhook", "Delete a webhook.", tags: ["webhooks"], parameters: [pathParameter("id")],
                                                           responses: [JSONMember("204", .object([JSONMember("description", "Deleted.")]))] + errorResponses(["401", "404", "429"]))))
            }
            paths.append(JSONMember("/api/\(type.name)", .object(collection)))
            paths.append(JSONMember("/api/\(type.name)/{id}", .object(item)))
        }
        // Every catalog type, read-only.
        for type in catalog.types {
            let includes = type.relationships.map(\.name)
            paths.append(JSONMember("/api/\(type.name)", .object([JSONMember("get", operation(
                "list\(camel(type.name))", "List \(type.name) (a sales_channel token sees its markets' only).", tags: [type.name],
                parameters: listParameters(type, includes: includes),
                responses: [response("200", "A page of \(type.name).", schema: ref("\(type.name)_list"))] + errorResponses(["400", "401", "403", "429"])))])))
            paths.append(JSONMember("/api/\(type.name)/{id}", .object([JSONMember("get", operation(
                "retrieve\(camel(type.singular))", "Retrieve a \(type.singular).", tags: [type.name],
                parameters: [pathParameter("id"), queryParameter("include", schema: stringSchema), fieldsParameter(type)],
                responses: [response("200", "The \(type.singular).", schema: ref("\(type.name)_document"))] + errorResponses(["400", "401", "403", "404", "429"])))])))
        }

        var schemas: [JSONMember] = [
            JSONMember("error_document", errorDocumentSchema),
            JSONMember("links", object(["self": .object([JSONMember("type", "string")])], required: [])),
        ]
        for type in JobTypes.all + catalog.types {
            schemas.append(JSONMember("\(type.name)_resource", resourceSchema(type, catalog: catalog)))
            schemas.append(JSONMember("\(type.name)_document", object(["data": ref("\(type.name)_resource"), "included": includedSchema], required: ["data"])))
            schemas.append(JSONMember("\(type.name)_list", object([
                "data": .object([JSONMember("type", "array"), JSONMember("items", ref("\(type.name)_resource"))]),
                "included": includedSchema,
                "meta": object(["record_count": integerSchema, "page_count": integerSchema], required: ["record_count", "page_count"]),
                "links": object(["first": stringSchema, "prev": stringSchema, "next": stringSchema, "last": stringSchema], required: ["first", "last"]),
            ], required: ["data", "meta", "links"])))
        }
        schemas += requestSchemas()
        return .object([
            JSONMember("openapi", "3.1.0"),
            JSONMember("info", .object([
                JSONMember("title", "Ferry"), JSONMember("version", "0.1.0"),
                JSONMember("description", "Exports, imports and commerce resources in Commerce Layer's JSON:API shape (SPEC §2, §3, §7, §8)."),
            ])),
            JSONMember("security", .array([.object([JSONMember("bearer", .array([]))])])),
            JSONMember("paths", .object(paths)),
            JSONMember("components", .object([
                JSONMember("securitySchemes", .object([JSONMember("bearer", .object([
                    JSONMember("type", "http"), JSONMember("scheme", "bearer"), JSONMember("bearerFormat", "JWT"),
                ]))])),
                JSONMember("schemas", .object(schemas)),
            ])),
        ])
    }

    // MARK: Pieces

    static let stringSchema: JSONValue = .object([JSONMember("type", "string")])
    static let integerSchema: JSONValue = .object([JSONMember("type", "integer")])
    static let includedSchema: JSONValue = .object([JSONMember("type", "array"), JSONMember("items", .object([JSONMember("type", "object")]))])
    static let identifiersSchema: JSONValue = object([
        "data": .object([JSONMember("type", "array"), JSONMember("items", object(["type": stringSchema, "id": stringSchema], required: ["type", "id"]))]),
        "links": .object([JSONMember("type", "object")]), "meta": .object([JSONMember("type", "object")]),
    ], required: ["data"])

    static func camel(_ name: String) -> String {
        name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func ref(_ name: String) -> JSONValue { .object([JSONMember("$ref", .string("#/components/schemas/\(name)"))]) }

    static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String] = []) -> JSONValue {
        var members: [JSONMember] = [JSONMember("type", "object"), JSONMember("properties", .object(properties.map { JSONMember($0.key, $0.value) }))]
        if !required.isEmpty { members.append(JSONMember("required", .array(required.map(JSONValue.string)))) }
        return .object(members)
    }

    static func schema(of type: AttributeType) -> JSONValue {
        let base: [JSONMember] = switch type {
        case .string: [JSONMember("type", .array(["string", "null"]))]
        case .datetime: [JSONMember("type", .array(["string", "null"])), JSONMember("format", "date-time")]
        case .integer: [JSONMember("type", .array(["integer", "null"]))]
        case .float: [JSONMember("type", .array(["number", "null"]))]
        case .boolean: [JSONMember("type", .array(["boolean", "null"]))]
        case .object: [JSONMember("type", .array(["object", "null"]))]
        case .array: [JSONMember("type", .array(["array", "null"]))]
        }
        return .object(base)
    }

    static func resourceSchema(_ type: ResourceType, catalog: ResourceCatalog) -> JSONValue {
        // Answers never hold a null object or array attribute: an empty one is {} or [].
        var attributes = type.attributes.filter { $0.name != "id" && $0.isExportable }.map { attribute in
            switch attribute.type {
            case .object: JSONMember(attribute.name, .object([JSONMember("type", "object")]))
            case .array: JSONMember(attribute.name, .object([JSONMember("type", "array")]))
            default: JSONMember(attribute.name, schema(of: attribute.type))
            }
        }
        if JobKind(rawValue: type.name) != nil { attributes.append(JSONMember("attachment_url", schema(of: .string))) }
        if JobKind(rawValue: type.name) == .import {
            attributes.append(JSONMember("inputs", .object([
                JSONMember("type", "array"), JSONMember("items", .object([JSONMember("type", "object")])),
                JSONMember("description", .string("The inputs, up to \(ImportInputs.limit); empty above that (meta.inputs says so), when they stay at attachment_url.")),
            ])))
        }
        let relationship = object([
            "data": .object([JSONMember("type", .array(["object", "array", "null"]))]), "links": .object([JSONMember("type", "object")]),
        ])
        let relationships = type.relationships.map(\.name) + (JobKind(rawValue: type.name) != nil ? JobLogRelationship.allCases.map(\.rawValue) : [])
        return .object([
            JSONMember("type", "object"),
            JSONMember("properties", .object([
                JSONMember("id", stringSchema),
                JSONMember("type", .object([JSONMember("const", .string(type.name))])),
                JSONMember("links", ref("links")),
                JSONMember("attributes", .object([JSONMember("type", "object"), JSONMember("properties", .object(attributes)), JSONMember("additionalProperties", false)])),
                JSONMember("relationships", .object([
                    JSONMember("type", "object"),
                    JSONMember("properties", .object(relationships.map { JSONMember($0, relationship) })), JSONMember("additionalProperties", false),
                ])),
                JSONMember("meta", object([
                    "mode": .object([JSONMember("enum", .array(DatasetMode.allCases.map { .string($0.rawValue) }))]), "inputs": stringSchema,
                ], required: ["mode"])),
            ])),
            JSONMember("required", ["id", "type", "attributes"]),
        ])
    }

    static var errorDocumentSchema: JSONValue {
        object(["errors": .object([
            JSONMember("type", "array"), JSONMember("minItems", 1),
            JSONMember("items", object([
                "title": stringSchema, "detail": stringSchema, "code": stringSchema, "status": stringSchema,
                "source": object(["pointer": stringSchema, "parameter": stringSchema]),
                "meta": object(["error": stringSchema, "value": .object([]), "count": integerSchema], required: ["error"]),
            ], required: ["title", "detail", "code", "status"])),
        ])], required: ["errors"])
    }

    static func requestSchemas() -> [JSONMember] {
        func body(_ type: String, _ attributes: [JSONMember], required: [String]) -> JSONValue {
            var attributeSchema: [JSONMember] = [JSONMember("type", "object"), JSONMember("properties", .object(attributes))]
            if !required.isEmpty { attributeSchema.append(JSONMember("required", .array(required.map(JSONValue.string)))) }
            return object(["data": object([
                "type": .object([JSONMember("const", .string(type))]), "id": stringSchema, "attributes": .object(attributeSchema),
            ], required: ["type"])], required: ["data"])
        }
        let standard = [JSONMember("reference", schema(of: .string)), JSONMember("reference_origin", schema(of: .string)), JSONMember("metadata", schema(of: .object))]
        let strings: JSONValue = .object([JSONMember("type", "array"), JSONMember("items", stringSchema)])
        let lifecycle = [JSONMember("_interrupt", .object([JSONMember("type", "boolean")])), JSONMember("_start", .object([JSONMember("type", "boolean")]))] + standard
        return [
            JSONMember("exports_create", body("exports", [
                JSONMember("resource_type", stringSchema), JSONMember("format", .object([JSONMember("enum", ["json", "csv", "ndjson", "xml"])])),
                JSONMember("includes", strings), JSONMember("fields", strings), JSONMember("filters", .object([JSONMember("type", "object")])),
                JSONMember("dry_data", .object([JSONMember("type", "boolean")])), JSONMember("jwt_filters", .object([JSONMember("type", "boolean")])),
            ] + standard, required: ["resource_type"])),
            JSONMember("exports_update", body("exports", lifecycle, required: [])),
            JSONMember("imports_create", body("imports", [
                JSONMember("resource_type", stringSchema), JSONMember("format", .object([JSONMember("enum", ["json", "csv", "ndjson", "xml"])])),
                JSONMember("inputs", .object([JSONMember("type", .array(["array", "string"]))])), JSONMember("parent_resource_id", stringSchema),
                JSONMember("cleanup_records", .object([JSONMember("type", "boolean")])), JSONMember("skip_errors", .object([JSONMember("type", "boolean")])),
            ] + standard, required: ["resource_type", "inputs"])),
            JSONMember("imports_update", body("imports", lifecycle, required: [])),
            JSONMember("webhooks_create", body("webhooks", [
                JSONMember("name", stringSchema), JSONMember("topic", .object([JSONMember("enum", .array(WebhookQueue.topics.map(JSONValue.string)))])),
                JSONMember("callback_url", .object([JSONMember("type", "string"), JSONMember("format", "uri")])),
            ] + standard, required: ["topic", "callback_url"])),
            JSONMember("webhooks_update", body("webhooks", [
                JSONMember("name", stringSchema), JSONMember("topic", .object([JSONMember("enum", .array(WebhookQueue.topics.map(JSONValue.string)))])),
                JSONMember("callback_url", .object([JSONMember("type", "string"), JSONMember("format", "uri")])),
            ] + standard, required: [])),
        ]
    }

    static func operation(_ id: String, _ summary: String, tags: [String], secured: Bool = true, parameters: [JSONValue], body: JSONValue? = nil, multipart: Bool = false, responses: [JSONMember]) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("operationId", .string(id)), JSONMember("summary", .string(summary)), JSONMember("tags", .array(tags.map(JSONValue.string))),
        ]
        if !secured { members.append(JSONMember("security", .array([]))) }
        if !parameters.isEmpty { members.append(JSONMember("parameters", .array(parameters))) }
        if let body {
            var content: [JSONMember] = [
                JSONMember("application/vnd.api+json", .object([JSONMember("schema", body)])), JSONMember("application/json", .object([JSONMember("schema", body)])),
            ]
            if multipart {
                content.append(JSONMember("multipart/form-data", .object([JSONMember("schema", object([
                    "file": .object([JSONMember("type", "string"), JSONMember("contentMediaType", "application/octet-stream")]),
                    "resource_type": stringSchema, "format": stringSchema, "data": stringSchema,
                ], required: ["file"]))])))
            }
            members.append(JSONMember("requestBody", .object([JSONMember("required", true), JSONMember("content", .object(content))])))
        }
        members.append(JSONMember("responses", .object(responses)))
        return .object(members)
    }

    static func response(_ status: String, _ description: String, schema: JSONValue) -> JSONMember {
        JSONMember(status, .object([
            JSONMember("description", .string(description)),
            JSONMember("content", .object([JSONMember("application/vnd.api+json", .object([JSONMember("schema", schema)]))])),
        ]))
    }

    static func errorResponse(_ status: String) -> JSONMember {
        let descriptions = [
            "400": "BAD_REQUEST", "401": "UNAUTHORIZED or INVALID_TOKEN", "403": "FORBIDDEN", "404": "RECORD_NOT_FOUND or NOT_FOUND",
            "409": "CONFLICT", "413": "CONTENT_TOO_LARGE", "415": "UNSUPPORTED_MEDIA_TYPE", "416": "RANGE_NOT_SATISFIABLE",
            "422": "VALIDATION_ERROR", "429": "TOO_MANY_REQUESTS",
        ]
        return response(status, descriptions[status] ?? "Error.", schema: ref("error_document"))
    }

    static func errorResponses(_ statuses: [String]) -> [JSONMember] { statuses.map(errorResponse) }

    static func pathParameter(_ name: String, enumeration: [String]? = nil) -> JSONValue {
        var schema: [JSONMember] = [JSONMember("type", "string")]
        if let enumeration { schema.append(JSONMember("enum", .array(enumeration.map(JSONValue.string)))) }
        return .object([JSONMember("name", .string(name)), JSONMember("in", "path"), JSONMember("required", true), JSONMember("schema", .object(schema))])
    }

    static func queryParameter(_ name: String, schema: JSONValue, required: Bool = false) -> JSONValue {
        .object([JSONMember("name", .string(name)), JSONMember("in", "query"), JSONMember("required", .bool(required)), JSONMember("schema", schema)])
    }

    static func headerParameter(_ name: String) -> JSONValue {
        .object([JSONMember("name", .string(name)), JSONMember("in", "header"), JSONMember("required", false), JSONMember("schema", stringSchema)])
    }

    static var pageParameters: [JSONValue] {
        [
            queryParameter("page[number]", schema: .object([JSONMember("type", "integer"), JSONMember("minimum", 1), JSONMember("maximum", .int(Int64(ListParameters.maximumPageNumber)))])),
            queryParameter("page[size]", schema: .object([JSONMember("type", "integer"), JSONMember("minimum", 1), JSONMember("maximum", .int(Int64(ListParameters.maximumPageSize)))])),
        ]
    }

    static func fieldsParameter(_ type: ResourceType) -> JSONValue {
        queryParameter("fields[\(type.name)]", schema: stringSchema)
    }

    static func listParameters(_ type: ResourceType, includes: [String]) -> [JSONValue] {
        let sortable = type.attributes.filter(\.isSortable).map(\.name)
        var parameters = pageParameters + [
            .object([
                JSONMember("name", "sort"), JSONMember("in", "query"), JSONMember("required", false),
                JSONMember("description", .string("Comma-separated; '-' for descending. Sortable: \(sortable.joined(separator: ", ")).")),
                JSONMember("schema", stringSchema),
            ]),
            fieldsParameter(type),
            .object([
                JSONMember("name", "filter"), JSONMember("in", "query"), JSONMember("required", false), JSONMember("style", "deepObject"),
                JSONMember("explode", true),
                JSONMember("description", .string("filter[q][<attribute>_<predicate>]=value (SPEC §4). Filterable: \(type.attributes.filter(\.isFilterable).map(\.name).joined(separator: ", ")).")),
                JSONMember("schema", .object([JSONMember("type", "object"), JSONMember("additionalProperties", true)])),
            ]),
        ]
        if !includes.isEmpty {
            parameters.append(.object([
                JSONMember("name", "include"), JSONMember("in", "query"), JSONMember("required", false),
                JSONMember("description", .string("Comma-separated relationship paths: \(includes.joined(separator: ", ")).")), JSONMember("schema", stringSchema),
            ]))
        }
        return parameters
    }
}
