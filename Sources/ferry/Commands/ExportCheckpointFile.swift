import FerryCore
import Foundation

/// The checkpoint `ferry export` keeps beside its output (`<output>.checkpoint`) while the sink
/// writes `<output>.partial`: the runner's ``Checkpoint`` after the last flushed batch, the same
/// state an `/api/exports` job stores in its row, with the export it belongs to. `ferry export …
/// --resume` starts the pipeline from it and writes exactly the file an uninterrupted export
/// would have written.
struct ExportCheckpointFile: Sendable {
    /// What the file holds.
    struct Stored: Codable {
        /// Every argument that shapes the output's bytes; a resume must give the same.
        var export: [String: String]
        /// Where the run stood after its last flushed batch.
        var checkpoint: Checkpoint
    }

    /// Why a checkpoint cannot be resumed from.
    enum Failure: Error, CustomStringConvertible {
        /// The file is not a checkpoint this version wrote.
        case unreadable(path: String, reason: String)
        /// The checkpoint belongs to an export with other arguments.
        case otherExport(path: String, differing: [String])
        /// The checkpoint could not be written.
        case unwritable(path: String, reason: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason):
                return "the checkpoint \(path) cannot be read (\(reason)); run without --resume to export from the start"
            case .otherExport(let path, let differing):
                return "the checkpoint \(path) belongs to an export with another \(differing.joined(separator: ", ")); "
                    + "give the same arguments to resume it, or run without --resume to export from the start"
            case .unwritable(let path, let reason):
                return "the checkpoint \(path) cannot be written: \(reason)"
            }
        }
    }

    /// The checkpoint file's path.
    let path: String
    /// The export's arguments, compared on resume.
    let export: [String: String]

    /// The checkpoint of the export writing `output`.
    init(output: String, export: [String: String]) {
        path = output + ".checkpoint"
        self.export = export
    }

    /// Whether a checkpoint is there.
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The checkpoint to resume from, nil when there is none; refused when it belongs to
    /// another export.
    func load() throws(Failure) -> Checkpoint? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: data)
        } catch {
            throw .unreadable(path: path, reason: "not a checkpoint of ferry export")
        }
        let differing = Set(stored.export.keys).union(export.keys).filter { stored.export[$0] != export[$0] }.sorted()
        guard differing.isEmpty else { throw .otherExport(path: path, differing: differing) }
        return stored.checkpoint
    }

    /// Replaces the checkpoint, atomically: a kill leaves the previous one or this one whole.
    func save(_ checkpoint: Checkpoint) throws(Failure) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try encoder.encode(Stored(export: export, checkpoint: checkpoint)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Deletes the checkpoint, if any.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
