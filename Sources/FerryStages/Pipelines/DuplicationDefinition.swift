import FerryCore

/// A pipeline file that duplicates a dataset (`ferry duplicate` as a declarative, schedulable file):
///
/// ```yaml
/// name: duplicate-catalog
/// schedule: "0 3 * * 0"
/// duplicate:
///   from: test
///   to: live
///   types: [skus, prices, stock_items]   # and what they need; all types when absent
///   where:
///     skus: {code_start: SKU-}
///   anonymize: false
/// ```
public struct DuplicationDefinition: Sendable {
    /// The pipeline's name.
    public var name: String
    /// A cron schedule, for scheduled runs.
    public var schedule: String?
    /// The source mode.
    public var from: DatasetMode
    /// The target mode.
    public var to: DatasetMode
    /// The types to copy (with what they need); all when empty.
    public var types: [String]
    /// Filters per type.
    public var filters: [String: JSONValue]
    /// Whether personal data is anonymized on the way, and with which salt.
    public var anonymizeSalt: String?

    /// Reads the `duplicate` block of a parsed pipeline file, validating modes, types and filters
    /// against the catalog.
    public init(document: JSONValue, file: String, lines: [String: Int], catalog: ResourceCatalog) throws(StageConfigurationError) {
        func at(_ path: String) -> String { lines[path].map { "\(file):\($0): \(path)" } ?? "\(file): \(path)" }
        guard case .string(let name)? = document["name"], !name.isEmpty else {
            throw StageConfigurationError(location: at("name"), message: "missing 'name'")
        }
        guard case .object(let members)? = document["duplicate"] else {
            throw StageConfigurationError(location: at("duplicate"), message: "expected a mapping with from and to")
        }
        let known: Set<String> = ["from", "to", "types", "where", "anonymize", "salt"]
        for member in (document.objectMembers ?? []) where !["name", "schedule", "timezone", "catch_up", "description", "duplicate"].contains(member.key) {
            throw StageConfigurationError(location: at(member.key), message: "unknown key in a duplication pipeline")
        }
        for member in members where !known.contains(member.key) {
            throw StageConfigurationError(location: at("duplicate.\(member.key)"), message: "unknown key; valid keys: \(known.sorted().joined(separator: ", "))")
        }
        let block = JSONValue.object(members)
        func mode(_ key: String) throws(StageConfigurationError) -> DatasetMode {
            guard case .string(let text)? = block[key], let mode = DatasetMode(rawValue: text) else {
                throw StageConfigurationError(location: at("duplicate.\(key)"), message: "must be test or live")
            }
            return mode
        }
        self.name = name
        schedule = try PipelineDefinition.schedule(document, file: file, lines: lines)?.expression
        from = try mode("from")
        to = try mode("to")
        guard from != to else { throw StageConfigurationError(location: at("duplicate.to"), message: "must differ from 'from'") }
        types = []
        if case .array(let items)? = block["types"] {
            for item in items {
                guard case .string(let type) = item, catalog[type] != nil else {
                    throw StageConfigurationError(location: at("duplicate.types"), message: "unknown resource type \(item.jsonText)")
                }
                types.append(type)
            }
        }
        filters = [:]
        if case .object(let perType)? = block["where"] {
            for entry in perType {
                guard let type = catalog[entry.key] else {
                    throw StageConfigurationError(location: at("duplicate.where.\(entry.key)"), message: "unknown resource type '\(entry.key)'")
                }
                do {
                    _ = try Filter(entry.value, for: type, in: catalog)
                } catch {
                    throw StageConfigurationError(location: at("duplicate.where.\(entry.key)"), message: error.description)
                }
                filters[entry.key] = entry.value
            }
        }
        if case .bool(true)? = block["anonymize"] {
            if case .string(let salt)? = block["salt"] { anonymizeSalt = salt } else { anonymizeSalt = "ferry" }
        }
    }

    /// The duplicator this definition describes.
    public func duplicator(environment: StageEnvironment) -> DatasetDuplicator {
        DatasetDuplicator(
            environment: environment, from: from, to: to, filters: filters,
            anonymizer: anonymizeSalt.map { AnonymizeTransform(fields: AnonymizeTransform.defaultFields, salt: $0) })
    }
}
