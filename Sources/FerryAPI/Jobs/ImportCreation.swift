import FerryCore
import FerryJobs
import FerryStages
import FerryStore
import Foundation
import Hummingbird

/// `POST /api/imports` (SPEC §3): inputs as a JSON array or a CSV/NDJSON/XML string in a JSON:API
/// body, or as an uploaded file (gzip or plain) in a `multipart/form-data` body whose other parts
/// give the attributes (a `data` part holding the JSON:API document, or one part per attribute).
/// The inputs are stored gzip-compressed as the import's attachment and the job is queued.
/// Inputs sent without a `format` have it told from their content (``InputFormatDetector``);
/// inputs whose content contradicts the `format` given are refused (422), not left to fail.
struct ImportCreation: Sendable {
    let services: FerryServices

    /// The attributes a client may give.
    static let creatable: Set<String> = [
        "resource_type", "format", "inputs", "parent_resource_id", "cleanup_records", "skip_errors",
        "reference", "reference_origin", "metadata",
    ]

    func create(_ request: Request, _ context: FerryRequestContext) async throws -> Response {
        let token = try context.requireToken()
        let dataset = try services.environment.dataset(token.mode)
        let staging = services.environment.directory.url
            .appendingPathComponent("attachments/\(token.mode.rawValue)/imports/upload-\(UInt64.random(in: 0...UInt64.max)).tmp")
        let writer = try StoredInputsWriter(url: staging)
        do {
            var (body, inputsSize, fileName) = try await MultipartReader.boundary(ofContentType: request.headers[.contentType]) != nil
                ? readUpload(request, into: writer) : readJSON(request, into: writer)
            try writer.finish()
            try settleFormat(&body, head: writer.head, fileName: fileName)
            let response = try await store(body, inputsSize: inputsSize, staged: writer, token: token, dataset: dataset, request: request)
            return response
        } catch {
            writer.discard()
            throw error
        }
    }

    /// Gives the body the format its inputs are in when it names none, told from the content (a
    /// file's name when the content can't tell); refuses a format the content contradicts.
    private func settleFormat(_ body: inout JSONAPIRequestBody, head: InputHead, fileName: String?) throws {
        let sniffed = InputFormatDetector.format(ofHead: head.bytes)
        let pointer = JSONAPIRequestBody.pointer("format")
        if let given = try body.string("format") {
            if let sniffed, sniffed != given, JobAttributes.formats(services.registry, kind: .source).contains(given) {
                throw APIError.validation("the inputs are \(sniffed), not \(given): give format '\(sniffed)', or leave format out to have it told from the inputs", pointer: pointer,
                    error: "format_mismatch", value: .string(given))
            }
        } else {
            guard let format = sniffed ?? fileName.flatMap(InputFormatDetector.format(ofFileName:)) else {
                throw APIError.validation("format can't be told from the inputs; give it (\(JobAttributes.formats(services.registry, kind: .source).joined(separator: ", ")))", pointer: pointer)
            }
            body.attributes.append(JSONMember("format", .string(format)))
        }
    }

    /// A JSON:API body with `inputs` inside.
    private func readJSON(_ request: Request, into writer: StoredInputsWriter) async throws -> (JSONAPIRequestBody, Int?, String?) {
        let body = try await JSONAPIRequestBody.read(request, expectedType: "imports", maximumSize: services.settings.maximumBodySize)
        let format = try body.string("format") ?? "json"
        let pointer = JSONAPIRequestBody.pointer("inputs")
        var size: Int?
        switch body["inputs"] {
        case nil, .null?:
            throw APIError.validation("inputs is required: an array of objects, a CSV/NDJSON/XML string, or a multipart file upload", pointer: pointer)
        case .array(let items)?:
            guard !items.isEmpty else { throw APIError.validation("inputs can't be empty", pointer: pointer) }
            for (index, item) in items.enumerated() {
                guard case .object = item else { throw APIError.validation("each input must be an object", pointer: "\(pointer)/\(index)") }
            }
            switch format {
            case "json": try writer.write(Array(JSONValue.array(items).jsonText.utf8))
            case "ndjson": try writer.write(Array(items.map(\.jsonText).joined(separator: "\n").utf8))
            default: throw APIError.validation("inputs for format \(format) must be one string", pointer: pointer)
            }
            size = items.count
        case .string(let text)?:
            guard !text.isEmpty else { throw APIError.validation("inputs can't be empty", pointer: pointer) }
            try writer.write(Array(text.utf8))
            if format == "ndjson" { size = text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.count }
        default:
            throw APIError.validation("inputs must be an array of objects or a string", pointer: pointer)
        }
        return (body, size, nil)
    }

    /// A multipart upload: the file part goes straight to the stored inputs.
    private func readUpload(_ request: Request, into writer: StoredInputsWriter) async throws -> (JSONAPIRequestBody, Int?, String?) {
        guard let boundary = MultipartReader.boundary(ofContentType: request.headers[.contentType]) else { throw APIError.unsupportedMediaType(request.headers[.contentType]) }
        var reader = MultipartReader(boundary: boundary)
        var fields: [JSONMember] = []
        var document: JSONAPIRequestBody?
        var current: (name: String, isFile: Bool, bytes: [UInt8])?
        var sawFile = false
        var fileName: String?
        for try await chunk in request.body {
            for event in try reader.feed(chunk.readableBytesView) {
                switch event {
                case .partStart(let name, let filename, _):
                    current = (name, filename != nil || name == "file", [])
                    if current!.isFile {
                        guard !sawFile else { throw APIError.badRequest("send one file part") }
                        sawFile = true
                        fileName = filename
                    }
                case .bytes(let bytes):
                    guard current != nil else { continue }
                    if current!.isFile {
                        try writer.write(bytes)
                    } else {
                        current!.bytes += bytes
                        guard current!.bytes.count <= 1 << 20 else { throw APIError.badRequest("form field '\(current!.name)' is over 1 MiB") }
                    }
                case .partEnd:
                    guard let part = current, !part.isFile else { current = nil; continue }
                    if part.name == "data" {
                        document = try JSONAPIRequestBody.parse(part.bytes, expectedType: "imports")
                    } else {
                        guard let text = String(validating: part.bytes, as: UTF8.self) else {
                            throw APIError.badRequest("form field '\(part.name)' is not valid UTF-8", pointer: JSONAPIRequestBody.pointer(part.name))
                        }
                        let value: JSONValue = switch text {
                        case "true": .bool(true)
                        case "false": .bool(false)
                        default: part.name == "metadata" ? (try JSONParser.parse(text)) : .string(text)
                        }
                        fields.append(JSONMember(part.name, value))
                    }
                    current = nil
                }
            }
        }
        guard reader.isComplete else { throw APIError.badRequest("the multipart body ends before its closing boundary") }
        guard sawFile, writer.receivedBytes > 0 else {
            throw APIError.validation("the upload has no (non-empty) file part named 'file'", pointer: JSONAPIRequestBody.pointer("inputs"))
        }
        var body = document ?? JSONAPIRequestBody(type: "imports", id: nil, attributes: [])
        body.attributes += fields
        if body["inputs"] != nil {
            throw APIError.validation("give inputs either as the file part or in the body, not both", pointer: JSONAPIRequestBody.pointer("inputs"))
        }
        return (body, nil, fileName)
    }

    /// Validates the attributes, then stores the job with its inputs moved into place.
    private func store(_ body: JSONAPIRequestBody, inputsSize: Int?, staged: StoredInputsWriter, token: AccessToken, dataset: Dataset, request: Request) async throws -> Response {
        try body.requireOnly(Self.creatable, type: "imports")
        let catalog = ResourceCatalog.commerce
        let typeName = try JobAttributes.resourceType(body, catalog: catalog, role: "an importable").name
        let format = try JobAttributes.format(body, registry: services.registry, kind: .source)
        var attributes = Record()
        attributes.append("resource_type", .string(typeName))
        attributes.append("format", .string(format))
        attributes.append("parent_resource_id", try body.string("parent_resource_id").map(Value.string) ?? .null)
        attributes.append("inputs_size", inputsSize.map { .int(Int64($0)) } ?? .null)
        for counter in ["processed_count", "errors_count", "warnings_count", "destroyed_count", "created_count", "updated_count", "unchanged_count"] { attributes.append(counter, 0) }
        attributes.append("progress", 0.0)
        attributes.append("cleanup_records", .bool(try body.bool("cleanup_records") ?? false))
        attributes.append("skip_errors", .bool(try body.bool("skip_errors") ?? false))
        try JobAttributes.copyStandard(from: body, into: &attributes)
        let details = JSONValue.object([JSONMember("subject", .string(token.sub.value)), JSONMember("stored_bytes", .int(Int64(staged.receivedBytes)))])
        let directory = services.environment.directory
        let mode = token.mode
        guard let job = try dataset.insertJob(JobTypes.imports, attributes: attributes, details: details, prepare: { id in
            try FileManager.default.moveItem(at: staged.url, to: directory.attachmentURL(mode: mode, kind: .import, id: id, format: format))
        }) else {
            throw APIError(status: .internalServerError, code: "INTERNAL_SERVER_ERROR", title: "Internal server error", detail: "the import was not stored")
        }
        try JobEventLog(dataset: dataset).record(.import, before: nil, after: job.record, event: .create, subject: token.sub.value)
        let doc = JobDocument(kind: .import, mode: token.mode, base: services.baseURL(for: request), services: services)
        return JSONAPIResponse.make(status: .created, document: await doc.single(job.record), headers: [.location: "\(doc.base)/api/imports/\(job.id)"])
    }
}
