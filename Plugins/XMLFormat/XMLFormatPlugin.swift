import FerryCore

/// The XML format plugin: a streaming `xml` sink (libxml2's `xmlTextWriter`) and a streaming `xml`
/// source (libxml2's `xmlTextReader`), so `format: xml` round-trips through the importer.
///
/// Register it once into the registry the executable builds:
///
/// ```swift
/// try XMLFormatPlugin.register(into: registry)
/// ```
public enum XMLFormatPlugin {
    /// Registers the plugin's stages.
    public static func register(into registry: StageRegistry) throws {
        try registry.register(StageDescriptor(
            name: "xml", kind: .sink, summary: "Writes an XML file (one <record> per record; gzip when the path ends in .gz).",
            options: [
                StageOption("path", .string, required: true, help: "The output file; '-' for standard output."),
                StageOption("gzip", .boolean, default: "when path ends in .gz", help: "Compress the output with gzip."),
                StageOption("level", .integer, default: "6", help: "The gzip level, 1 to 12."),
                StageOption("flush_bytes", .integer, default: String(FileSink.defaultFlushBytes), help: "Encoded bytes buffered before a write (and a checkpoint)."),
            ]
        ) { options, context in
            let path = try options.requiredString("path")
            let gzip = options.bool("gzip") ?? path.hasSuffix(".gz")
            let level = options.int("level") ?? 6
            guard (1...12).contains(level) else { throw options.error("level", "must be between 1 and 12") }
            let flushBytes = options.int("flush_bytes") ?? FileSink.defaultFlushBytes
            guard flushBytes >= 1 else { throw options.error("flush_bytes", "must be at least 1") }
            return .sink(sink(path: path, gzipLevel: gzip ? level : nil, resourceType: context.resourceType?.name, flushBytes: flushBytes))
        })
        try registry.register(StageDescriptor(
            name: "xml", kind: .source, summary: "Records from an XML file in Ferry's format, gzip or plain, streamed.",
            options: [
                StageOption("path", .string, required: true, help: "The file to read."),
                StageOption("resource_type", .string, help: "The records' type."),
            ]
        ) { options, context in
            let typeName = options.string("resource_type")
            let type = try typeName.map { name throws(StageConfigurationError) -> ResourceType in
                guard let type = context.catalog[name] else { throw options.error("resource_type", "unknown resource type '\(name)'") }
                return type
            }
            return .source(XMLFileSource(path: try options.requiredString("path"), resourceType: type))
        })
    }

    /// An XML file sink, for callers that build pipelines directly (`ferry export --format xml`).
    public static func sink(path: String, gzipLevel: Int?, resourceType: String?, flushBytes: Int = FileSink.defaultFlushBytes) -> FileSink {
        FileSink(destination: .init(path: path), gzipLevel: gzipLevel, flushBytes: flushBytes) { _, _ in XMLRecordEncoder(resourceType: resourceType) }
    }
}
