import FerryCore
import FerryJobs
import FerryStore

/// An import's `inputs` as its answers carry them: Commerce Layer's import schema requires the
/// attribute, so a client generated from it needs it on create, retrieve, list and update.
///
/// The inputs are read back from the stored attachment through the import's own source stage
/// (so every format reads as the import itself reads it), up to Commerce Layer's cap of
/// ``limit`` inputs; a bigger import answers an empty array, its inputs staying at
/// `attachment_url`, and a `meta` note says so.
enum ImportInputs {
    /// Commerce Layer's most inputs in one import.
    static let limit = 10_000

    /// What an answer shows.
    enum Shown: Sendable {
        /// The inputs, in order.
        case inputs([JSONValue])
        /// Over ``limit`` (or unreadable): an empty array and this note in `meta`.
        case withheld(note: String)

        /// The attribute's value.
        var value: JSONValue {
            switch self {
            case .inputs(let inputs): .array(inputs)
            case .withheld: .array([])
            }
        }
    }

    /// Thrown from the reading callback to stop at the cap.
    private struct OverLimit: Error {}

    /// The inputs of the import `record` (of id `id`), read from its stored attachment.
    static func read(id: String, record: Record, mode: DatasetMode, services: FerryServices) async -> Shown {
        let overLimit = Shown.withheld(note: "over \(limit) inputs: they are not repeated here; download them from attachment_url")
        if let size = record["inputs_size"]?.intValue, size > limit { return overLimit }
        let builder = JobPipelineBuilder(registry: services.registry, directory: services.environment.directory)
        var inputs: [JSONValue] = []
        do {
            let spec = builder.inputsSource(id: id, record: record, mode: mode, markingFaultyInputs: false)
            guard case .source(let source) = try services.registry.build(spec, expecting: .source, context: StageBuildContext(catalog: .commerce)) else {
                return .withheld(note: "the inputs cannot be read back; download them from attachment_url")
            }
            try await source.read(from: nil, batchSize: 1000) { batch in
                guard inputs.count + batch.records.count <= limit else { throw OverLimit() }
                inputs += batch.records.map(\.jsonValue)
            }
        } catch is OverLimit {
            return overLimit
        } catch {
            return .withheld(note: "the inputs cannot be read back; download them from attachment_url")
        }
        return .inputs(inputs)
    }
}
