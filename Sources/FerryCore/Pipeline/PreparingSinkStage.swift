/// A sink that splits the work on each batch in two: ``prepare(_:)``, which needs nothing the
/// sink's writes change (parsing, validating, typing, encoding), and ``write(prepared:)``.
///
/// The runner prepares each batch, in order, on the task that runs the record stages, so that
/// preparing batch *n + 1* overlaps writing batch *n*; the records themselves are released there
/// too, once prepared. An importer uses it to check and type inputs while the previous batch's
/// transaction runs.
public protocol PreparingSinkStage: SinkStage {
    /// What a prepared batch carries to ``write(prepared:)``.
    associatedtype PreparedBatch: Sendable

    /// Prepares a batch; called once per batch, in order, possibly while earlier batches are
    /// being written, so it must not depend on what writing them changes (an actor sink makes it
    /// `nonisolated`, or it would wait for the writes).
    func prepare(_ records: [Record]) async throws -> PreparedBatch

    /// Writes a batch ``prepare(_:)`` made.
    func write(prepared: PreparedBatch) async throws
}

extension PreparingSinkStage {
    /// Writes a batch by preparing it first, for callers that hand the sink plain records.
    public func write(_ records: [Record]) async throws {
        try await write(prepared: prepare(records))
    }

    /// ``prepare(_:)`` with its result type erased, for the runner.
    func prepareErased(_ records: [Record]) async throws -> any Sendable {
        try await prepare(records)
    }

    /// ``write(prepared:)`` of a batch ``prepareErased(_:)`` made.
    func writeErased(_ prepared: any Sendable) async throws {
        guard let batch = prepared as? PreparedBatch else {
            preconditionFailure("a batch prepared by another sink was handed to \(Self.self)")
        }
        try await write(prepared: batch)
    }
}
