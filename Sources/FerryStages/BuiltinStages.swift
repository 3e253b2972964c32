import FerryCore
import FerryStore

/// Registers Ferry's built-in stages (SPEC §6) into a registry.
public enum BuiltinStages {
    /// Registers every built-in stage, reading datasets through `environment`.
    public static func register(into registry: StageRegistry, environment: StageEnvironment) throws {
        for descriptor in descriptors(environment) { try registry.register(descriptor) }
    }

    static func outputOptions(defaultPath: String?) -> [StageOption] {
        [
            StageOption("path", .string, required: defaultPath == nil, default: defaultPath, help: "The output file; '-' for standard output."),
            StageOption("gzip", .boolean, default: "when path ends in .gz", help: "Compress the output with gzip."),
            StageOption("level", .integer, default: "6", help: "The gzip level, 1 (fastest) to 12 (smallest)."),
            StageOption("flush_bytes", .integer, default: String(FileSink.defaultFlushBytes), help: "Encoded bytes buffered before a write (and a checkpoint)."),
        ]
    }

    static func fileSink(_ format: OutputFormat, _ options: StageOptions, defaultPath: String? = nil) throws -> AnyStage {
        let path = options.string("path") ?? defaultPath ?? "-"
        let gzip = options.bool("gzip") ?? path.hasSuffix(".gz")
        let level = options.int("level") ?? 6
        guard (1...12).contains(level) else { throw options.error("level", "must be between 1 and 12") }
        let flushBytes = options.int("flush_bytes") ?? FileSink.defaultFlushBytes
        guard flushBytes >= 1 else { throw options.error("flush_bytes", "must be at least 1") }
        return .sink(FileSink(format: format, destination: .init(path: path), gzipLevel: gzip ? level : nil, flushBytes: flushBytes))
    }

    static func descriptors(_ environment: StageEnvironment) -> [StageDescriptor] {
        let catalog = environment.catalog
        var all: [StageDescriptor] = [
            StageDescriptor(
                name: "dataset", kind: .source, summary: "Records of one resource type of a dataset, in keyset pages by id.",
                options: [
                    StageOption("resource_type", .string, required: true, help: "The resource type (skus, prices, …)."),
                    StageOption("mode", .string, default: "test", help: "The dataset: test or live."),
                    StageOption("filters", .object, help: "Predicates selecting records, run as SQL (code_start: SKU)."),
                    StageOption("market", .stringList, help: "Only what these markets (by code) may see."),
                ]
            ) { options, _ in
                let typeName = try options.requiredString("resource_type")
                guard let type = catalog[typeName], !type.exportableAttributes.isEmpty else {
                    throw options.error("resource_type", "unknown resource type '\(typeName)'; valid: \(catalog.types.map(\.name).joined(separator: ", "))")
                }
                let dataset = try environment.dataset(StageEnvironment.mode(options))
                var filter: Filter?
                if let object = options.object("filters") {
                    do { filter = try Filter(object, for: type, in: catalog) } catch { throw options.error("filters", String(describing: error)) }
                }
                return .source(DatasetSource(dataset: dataset, query: RecordQuery(type: type, filter: filter), marketCodes: options.strings("market")))
            },
            StageDescriptor(
                name: "file", kind: .source, summary: "Records from a JSON, NDJSON or CSV file, gzip or plain.",
                options: [
                    StageOption("path", .string, required: true, help: "The file to read."),
                    StageOption("format", .string, default: "from the file name", help: "json, ndjson or csv."),
                    StageOption("resource_type", .string, help: "The records' type, to type their values."),
                    StageOption(
                        "mark_faulty_inputs", .boolean, default: "false",
                        help: "Pass a record with invalid UTF-8 on, marked for the dataset sink to refuse it alone, instead of failing."),
                ]
            ) { options, _ in
                let path = try options.requiredString("path")
                let format = try formatOption(options, path: path)
                let type = try options.string("resource_type").map { name throws(StageConfigurationError) -> ResourceType in
                    guard let type = catalog[name] else { throw options.error("resource_type", "unknown resource type '\(name)'") }
                    return type
                }
                return .source(FileSource(
                    path: path, format: format, resourceType: type, catalog: catalog, marksFaultyInputs: options.bool("mark_faulty_inputs") ?? false))
            },
            StageDescriptor(
                name: "where", kind: .filter, summary: "Keeps records matching predicates of the filter language.",
                options: [StageOption("filters", .object, required: true, help: "Predicates (status_in: [placed, approved]).")]
            ) { options, context in
                let type = try context.requireResourceType(options)
                do {
                    return .filter(WhereFilter(filter: try Filter(options.object("filters") ?? .object([]), for: type, in: catalog)))
                } catch {
                    throw options.error("filters", String(describing: error))
                }
            },
            StageDescriptor(
                name: "market-scope", kind: .filter, summary: "Keeps what the named markets may see (SPEC §8).",
                options: [
                    StageOption("markets", .stringList, required: true, help: "Market codes."),
                    StageOption("mode", .string, default: "test", help: "The dataset the markets are in."),
                ]
            ) { options, context in
                let type = try context.requireResourceType(options)
                let dataset = try environment.dataset(StageEnvironment.mode(options))
                return .filter(MarketScopeFilter(dataset: dataset, type: type, marketCodes: options.strings("markets") ?? []))
            },
            StageDescriptor(
                name: "limit", kind: .filter, summary: "Passes the first N records.",
                options: [StageOption("count", .integer, required: true, help: "How many records pass.")]
            ) { options, _ in
                guard let count = options.int("count"), count >= 0 else { throw options.error("count", "must be a whole number ≥ 0") }
                return .filter(LimitFilter(count: count))
            },
            StageDescriptor(
                name: "include", kind: .transform, summary: "Nests related records, loaded per batch (one query per relationship).",
                options: [
                    StageOption("paths", .stringList, required: true, help: "Dotted relationship paths, up to 3 levels (prices.price_tiers)."),
                    StageOption("mode", .string, default: "test", help: "The dataset related records come from."),
                ]
            ) { options, context in
                let type = try context.requireResourceType(options)
                do {
                    let tree = try IncludeTree(paths: options.strings("paths") ?? [], type: type, catalog: catalog)
                    return .transform(IncludeTransform(dataset: try environment.dataset(StageEnvironment.mode(options)), type: type, tree: tree))
                } catch let error as IncludeError {
                    throw options.error("paths", error.description)
                }
            },
            StageDescriptor(
                name: "fields", kind: .transform, summary: "Keeps the named fields (code, prices.amount_cents, prices.*, *).",
                options: [StageOption("fields", .stringList, required: true, help: "Field paths to keep.")]
            ) { options, context in
                let type = try context.requireResourceType(options)
                do {
                    return .transform(FieldsTransform(selection: try FieldSelection(paths: options.strings("fields") ?? [], type: type, catalog: catalog)))
                } catch {
                    throw options.error("fields", String(describing: error))
                }
            },
            StageDescriptor(
                name: "dry-data", kind: .transform, summary: "Makes records replayable elsewhere: no ids, no server fields, natural keys for relations.",
                options: [StageOption("mode", .string, default: "test", help: "The dataset natural keys are read from.")]
            ) { options, context in
                let type = try context.requireResourceType(options)
                return .transform(DryDataTransform(dataset: try environment.dataset(StageEnvironment.mode(options)), type: type))
            },
            StageDescriptor(
                name: "rename", kind: .transform, summary: "Renames fields.",
                options: [StageOption("fields", .object, required: true, help: "Old name: new name.")]
            ) { options, _ in
                guard case .object(let members)? = options.object("fields") else { throw options.error("fields", "expected a mapping") }
                var renames: [(from: String, to: String)] = []
                for member in members {
                    guard case .string(let to) = member.value else { throw options.error("fields", "'\(member.key)' must map to a new name") }
                    renames.append((member.key, to))
                }
                return .transform(RenameTransform(renames: renames))
            },
            StageDescriptor(
                name: "set", kind: .transform, summary: "Sets fields to constant values.",
                options: [StageOption("fields", .object, required: true, help: "Field: value.")]
            ) { options, _ in
                guard case .object(let members)? = options.object("fields") else { throw options.error("fields", "expected a mapping") }
                return .transform(SetTransform(assignments: members.map { ($0.key, Value($0.value)) }))
            },
            StageDescriptor(
                name: "anonymize", kind: .transform, summary: "Replaces personal data with deterministic fakes.",
                options: [
                    StageOption("fields", .stringList, default: AnonymizeTransform.defaultFields.joined(separator: ","), help: "Fields to anonymize."),
                    StageOption("salt", .string, default: "ferry", help: "Mixed into every fake."),
                ]
            ) { options, _ in
                .transform(AnonymizeTransform(fields: options.strings("fields") ?? AnonymizeTransform.defaultFields, salt: options.string("salt") ?? "ferry"))
            },
            StageDescriptor(
                name: "stdout", kind: .sink, summary: "Writes records to standard output (ndjson by default).",
                options: [StageOption("format", .string, default: "ndjson", help: "json, ndjson or csv.")]
            ) { options, _ in
                let format = try formatOption(options, path: "-.ndjson")
                return .sink(FileSink(format: format, destination: .standardOutput, gzipLevel: nil))
            },
        ]
        all.append(StageDescriptor(
            name: "dataset", kind: .sink, summary: "Imports records into a dataset: upserts by id or natural key (SPEC §3).",
            options: [
                StageOption("mode", .string, required: true, help: "The dataset written: test or live."),
                StageOption("resource_type", .string, default: "the source's", help: "The type imported."),
                StageOption("parent", .string, help: "An id set on every input's first belongs-to relationship."),
                StageOption("skip_errors", .boolean, default: "false", help: "Go on past 10% refused inputs."),
                StageOption("cleanup", .boolean, default: "false", help: "Delete the records the inputs did not name."),
            ]
        ) { options, context in
            let type: ResourceType
            if let name = options.string("resource_type") {
                guard let named = catalog[name] else { throw options.error("resource_type", "unknown resource type '\(name)'") }
                type = named
            } else {
                type = try context.requireResourceType(options)
            }
            let importOptions = RecordImporter.Options(
                parentID: options.string("parent"), skipErrors: options.bool("skip_errors") ?? false, cleanup: options.bool("cleanup") ?? false)
            return .sink(DatasetSink(dataset: try environment.dataset(StageEnvironment.mode(options)), type: type, options: importOptions))
        })
        for format in OutputFormat.allCases {
            all.append(StageDescriptor(
                name: format.rawValue, kind: .sink, summary: "Writes a \(format.rawValue.uppercased()) file (gzip when the path ends in .gz).",
                options: outputOptions(defaultPath: nil)
            ) { options, _ in try fileSink(format, options) })
        }
        return all
    }

    static func formatOption(_ options: StageOptions, path: String) throws(StageConfigurationError) -> OutputFormat {
        if let text = options.string("format") {
            guard let format = OutputFormat(rawValue: text) else {
                throw options.error("format", "must be one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return format
        }
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        for format in OutputFormat.allCases where name.hasSuffix("." + format.rawValue) { return format }
        return .json
    }
}

extension BuiltinStages {
    /// The format a path's extension names (`.csv.gz` → csv), else JSON.
    public static func format(forPath path: String) -> OutputFormat {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        return OutputFormat.allCases.first { name.hasSuffix("." + $0.rawValue) } ?? .json
    }
}
