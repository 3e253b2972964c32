import FerryCore
import FerryJobs
import FerryStore

/// The component schemas of the OpenAPI document: each type's resource, document, list and
/// filter, the error document, and the request bodies exactly as the routes check them — the
/// attributes each accepts (no other), which are required, which may be null, and the operand
/// each filter key takes.
struct OpenAPISchemas {
    /// The commerce catalog.
    let catalog: ResourceCatalog
    /// The formats an export may have.
    let exportFormats: [String]
    /// The formats an import may have.
    let importFormats: [String]

    // MARK: Helpers

    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func object(_ properties: [JSONMember], required: [String] = [], closed: Bool = false) -> JSONValue {
        var members: [JSONMember] = [JSONMember("type", "object"), JSONMember("properties", .object(properties))]
        if !required.isEmpty { members.append(JSONMember("required", .array(required.map(JSONValue.string)))) }
        if closed { members.append(JSONMember("additionalProperties", false)) }
        return .object(members)
    }

    static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String] = [], closed: Bool = false) -> JSONValue {
        object(properties.map { JSONMember($0.key, $0.value) }, required: required, closed: closed)
    }

    static func enumeration(_ values: [String], nullable: Bool = false) -> JSONValue {
        var items = values.map(JSONValue.string)
        if nullable { items.append(.null) }
        return ["enum": .array(items)]
    }

    /// A value of an attribute type in an answer (or null).
    static func schema(of type: AttributeType) -> JSONValue {
        switch type {
        case .string: return ["type": ["string", "null"]]
        case .datetime: return ["type": ["string", "null"], "format": "date-time"]
        case .integer: return ["type": ["integer", "null"]]
        case .float: return ["type": ["number", "null"]]
        case .boolean: return ["type": ["boolean", "null"]]
        case .object: return ["type": ["object", "null"]]
        case .array: return ["type": ["array", "null"]]
        }
    }

    /// The identifiers of a job's change log (`/relationships/<name>`).
    static func identifiers(_ name: String) -> JSONValue {
        object([
            "data": ["type": "array", "items": object(["type": ["const": .string(name)], "id": string], required: ["type", "id"])],
            "links": object(["self": string, "related": string]), "meta": object(["record_count": integer]),
        ], required: ["data"])
    }

    // MARK: All

    /// Every component schema.
    func all() -> [JSONMember] {
        var schemas: [JSONMember] = [
            JSONMember("error_document", Self.errorDocument),
            JSONMember("links", Self.object(["self": Self.string])),
        ]
        for type in JobTypes.all + catalog.types {
            let typeCatalog = catalog[type.name] == nil ? ResourceCatalog.jobs : catalog
            let included: JSONValue = ["type": "array", "items": ["type": "object"]]
            schemas.append(JSONMember("\(type.name)_resource", resource(type, catalog: typeCatalog)))
            schemas.append(JSONMember("\(type.name)_document", Self.object(["data": Self.ref("\(type.name)_resource"), "included": included], required: ["data"])))
            schemas.append(JSONMember("\(type.name)_list", Self.object([
                "data": ["type": "array", "items": Self.ref("\(type.name)_resource")],
                "included": included,
                "meta": Self.object(["record_count": Self.integer, "page_count": Self.integer], required: ["record_count", "page_count"]),
                "links": Self.object(["first": Self.string, "prev": Self.string, "next": Self.string, "last": Self.string], required: ["first", "last"]),
            ], required: ["data", "meta", "links"])))
            schemas.append(JSONMember("\(type.name)_filter_parameter", Self.object(["q": Self.ref("\(type.name)_filter_query")], required: ["q"], closed: true)))
            schemas.append(JSONMember("\(type.name)_filter_query", OpenAPIGrammar.filterSchema(type, catalog: typeCatalog, query: true)))
        }
        for type in exportable {
            schemas.append(JSONMember("\(type.name)_filters", OpenAPIGrammar.filterSchema(type, catalog: catalog, query: false)))
        }
        return schemas + requests()
    }

    /// The types an export may name.
    var exportable: [ResourceType] { catalog.types.filter { !$0.exportableAttributes.isEmpty } }

    // MARK: Answers

    /// What an answer says of one attribute: the type's value, or null; never null for an
    /// object or array (an empty one is {} or []); the values a job's status, resource type,
    /// format or topic can take.
    func attribute(_ attribute: Attribute, of type: ResourceType) -> JSONValue {
        let isJob = JobKind(rawValue: type.name) != nil
        switch (type.name, attribute.name) {
        case (_, "status") where isJob: return Self.enumeration(JobStatus.allCases.map(\.rawValue))
        case (_, "resource_type") where isJob: return Self.enumeration(catalog.types.map(\.name))
        case (JobKind.export.rawValue, "format"): return Self.enumeration(exportFormats)
        case (JobKind.import.rawValue, "format"): return Self.enumeration(importFormats)
        case (JobTypes.pipelineRuns.name, "status"):
            let statuses: [PipelineRunLog.Status] = [.running, .completed, .failed, .skipped]
            return Self.enumeration(statuses.map(\.rawValue))
        case (JobTypes.webhooks.name, "topic"): return Self.enumeration(WebhookQueue.topics)
        default: break
        }
        switch attribute.type {
        case .object: return ["type": "object"]
        case .array: return ["type": "array"]
        default: return Self.schema(of: attribute.type)
        }
    }

    func resource(_ type: ResourceType, catalog: ResourceCatalog) -> JSONValue {
        var attributes = type.attributes.filter { $0.name != "id" && $0.isExportable }.map { JSONMember($0.name, attribute($0, of: type)) }
        if JobKind(rawValue: type.name) != nil { attributes.append(JSONMember("attachment_url", Self.schema(of: .string))) }
        if JobKind(rawValue: type.name) == .import {
            attributes.append(JSONMember("inputs", [
                "type": "array", "items": ["type": "object"],
                "description": .string("The inputs, up to \(ImportInputs.limit); empty above that (meta.inputs says so), when they stay at attachment_url."),
            ]))
        }
        let relationship = Self.object(["data": ["type": ["object", "array", "null"]], "links": ["type": "object"]])
        let relationships = type.relationships.map(\.name) + (JobKind(rawValue: type.name) != nil ? JobLogRelationship.allCases.map(\.rawValue) : [])
        return Self.object([
            "id": Self.string,
            "type": ["const": .string(type.name)],
            "links": Self.ref("links"),
            "attributes": ["type": "object", "properties": .object(attributes), "additionalProperties": false],
            "relationships": ["type": "object", "properties": .object(relationships.map { JSONMember($0, relationship) }), "additionalProperties": false],
            "meta": Self.object(["mode": Self.enumeration(DatasetMode.allCases.map(\.rawValue)), "inputs": Self.string], required: ["mode"]),
        ], required: ["id", "type", "attributes"])
    }

    static var errorDocument: JSONValue {
        object(["errors": [
            "type": "array", "minItems": 1,
            "items": object([
                "title": string, "detail": string, "code": string, "status": string,
                "source": object(["pointer": string, "parameter": string]),
                "meta": object(["error": string, "value": [:], "count": integer], required: ["error"]),
            ], required: ["title", "detail", "code", "status"]),
        ]], required: ["errors"])
    }

    // MARK: Requests

    /// A JSON:API request document: `data` (and the members JSON:API allows beside it, which
    /// are not read), nothing else; `data` holds `type`, `id` only when `id` is given (an
    /// update: the URL's), and `attributes` as given.
    static func document(_ type: String, attributes: JSONValue, attributesRequired: Bool, id: Bool) -> JSONValue {
        var data: [JSONMember] = [JSONMember("type", ["const": .string(type)])]
        if id { data.append(JSONMember("id", ["type": "string", "description": "The URL's id (another is a 409)."])) }
        data += [JSONMember("attributes", attributes), JSONMember("relationships", ["type": "object"]), JSONMember("meta", [:]), JSONMember("links", [:])]
        return object([
            "data": object(data, required: attributesRequired ? ["type", "attributes"] : ["type"], closed: true),
            "meta": [:], "jsonapi": [:], "links": [:],
        ], required: ["data"], closed: true)
    }

    /// reference, reference_origin and metadata, which every writable type takes (null: unset).
    static let standard: [JSONMember] = [
        JSONMember("reference", ["type": ["string", "null"]]), JSONMember("reference_origin", ["type": ["string", "null"]]),
        JSONMember("metadata", ["type": ["object", "null"]]),
    ]

    static let nullableBoolean: JSONValue = ["type": ["boolean", "null"]]
    static let nullableString: JSONValue = ["type": ["string", "null"]]

    /// A list given as an array of items or as one comma-separated string.
    static func stringList(_ item: String) -> JSONValue {
        ["anyOf": [
            ["type": "array", "items": ["type": "string", "pattern": .string("^\(item)$")]],
            ["type": "string", "pattern": .string(OpenAPIGrammar.commaList(item))],
            ["type": "null"],
        ]]
    }

    /// A webhook's callback URL: an absolute http or https URL with a host (a plain subset).
    static let callbackURL: JSONValue = [
        "type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?)*(?::[0-9]{1,4})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@-]*)*$",
    ]

    func requests() -> [JSONMember] {
        let lifecycle = Self.object([
            JSONMember("_interrupt", Self.nullableBoolean), JSONMember("_start", Self.nullableBoolean),
        ] + Self.standard, closed: true)
        // Not both _interrupt and _start.
        let update: JSONValue = [
            "allOf": [lifecycle, ["not": ["required": ["_interrupt", "_start"], "properties": ["_interrupt": ["const": true], "_start": ["const": true]]]]],
        ]
        let exports: [JSONValue] = exportable.map { type in
            var properties: [JSONMember] = [
                JSONMember("resource_type", ["const": .string(type.name)]),
                JSONMember("format", Self.enumeration(exportFormats, nullable: true)),
            ]
            properties.append(JSONMember("includes", OpenAPIGrammar.includePath(type, catalog: catalog).map(Self.stringList)
                ?? ["anyOf": [["type": "array", "maxItems": 0], ["const": ""], ["type": "null"]]]))
            properties.append(JSONMember("fields", Self.stringList(OpenAPIGrammar.exportFieldPath(type, catalog: catalog))))
            properties.append(JSONMember("filters", ["anyOf": [Self.ref("\(type.name)_filters"), ["type": "null"]]]))
            properties += [JSONMember("dry_data", Self.nullableBoolean), JSONMember("jwt_filters", Self.nullableBoolean)] + Self.standard
            return Self.object(properties, required: ["resource_type"], closed: true)
        }
        let importTypes = catalog.types.map(\.name)
        func importAttributes(inputs: JSONValue, formats: [String]) -> JSONValue {
            Self.object([
                JSONMember("resource_type", Self.enumeration(importTypes)), JSONMember("format", Self.enumeration(formats, nullable: true)),
                JSONMember("inputs", inputs), JSONMember("parent_resource_id", Self.nullableString),
                JSONMember("cleanup_records", Self.nullableBoolean), JSONMember("skip_errors", Self.nullableBoolean),
            ] + Self.standard, required: ["resource_type", "inputs"], closed: true)
        }
        let arrayFormats = importFormats.filter { $0 == "json" || $0 == "ndjson" }
        let imports: JSONValue = ["anyOf": [
            importAttributes(inputs: ["type": "array", "minItems": 1, "items": ["type": "object"]], formats: arrayFormats),
            importAttributes(inputs: ["type": "string", "minLength": 1], formats: importFormats),
        ]]
        // A multipart upload: the file, and the attributes as parts (a boolean as true or false,
        // metadata as JSON). The server also takes the attributes as one `data` part holding the
        // JSON:API document without inputs (the description says so; the schema lists the parts).
        let text: JSONValue = ["type": "string", "not": ["enum": ["true", "false"]]]
        let flag = Self.enumeration(["true", "false"])
        let upload = Self.object([
            JSONMember("file", ["type": "string", "contentMediaType": "application/octet-stream", "minLength": 1,
                                "description": "The inputs (gzip or plain) in the import's format. The attributes may come as parts, as here, or as one 'data' part holding the JSON:API document without inputs."]),
            JSONMember("resource_type", Self.enumeration(importTypes)), JSONMember("format", Self.enumeration(importFormats)),
            JSONMember("parent_resource_id", text), JSONMember("cleanup_records", flag), JSONMember("skip_errors", flag),
            JSONMember("reference", text), JSONMember("reference_origin", text), JSONMember("metadata", ["type": "object"]),
        ], required: ["file", "resource_type"], closed: true)
        let topic = Self.enumeration(WebhookQueue.topics)
        return [
            JSONMember("exports_create", Self.document("exports", attributes: ["anyOf": .array(exports)], attributesRequired: true, id: false)),
            JSONMember("exports_update", Self.document("exports", attributes: update, attributesRequired: false, id: true)),
            JSONMember("imports_create", Self.document("imports", attributes: imports, attributesRequired: true, id: false)),
            JSONMember("imports_update", Self.document("imports", attributes: update, attributesRequired: false, id: true)),
            JSONMember("imports_upload", upload),
            JSONMember("webhooks_create", Self.document("webhooks", attributes: Self.object([
                JSONMember("name", Self.nullableString), JSONMember("topic", topic), JSONMember("callback_url", Self.callbackURL),
            ] + Self.standard, required: ["topic", "callback_url"], closed: true), attributesRequired: true, id: false)),
            JSONMember("webhooks_update", Self.document("webhooks", attributes: Self.object([
                JSONMember("name", Self.nullableString), JSONMember("topic", ["anyOf": [topic, ["type": "null"]]]),
                JSONMember("callback_url", ["anyOf": [Self.callbackURL, ["type": "null"]]]),
            ] + Self.standard, closed: true), attributesRequired: false, id: true)),
        ]
    }
}
