import CZlib
import FerryCore
import FerryStages
import FerryStore
import FerryTestSupport
import Foundation

/// A seeded data directory for stage tests, removed by ``remove()``.
struct SeededDirectory {
    let url: URL
    let environment: StageEnvironment
    let registry: StageRegistry

    init(skus: Int = 60, seed: UInt64 = 1) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-stages-\(UUID().uuidString)")
        environment = StageEnvironment(directory: DataDirectory(url: url))
        try DatasetSeeder(dataset: environment.dataset(.test), options: .init(skus: skus, seed: seed)).run()
        registry = StageRegistry()
        try BuiltinStages.register(into: registry, environment: environment)
    }

    var dataset: Dataset { get throws { try environment.dataset(.test) } }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Runs an export plan and returns the (decompressed) output bytes.
    func export(_ plan: ExportPlan, from checkpoint: Checkpoint? = nil, observer: some PipelineObserver = SilentObserver()) async throws -> (PipelineResult, [UInt8]) {
        let pipeline = try registry.build(plan.definition(catalog: .commerce), catalog: .commerce)
        let result = try await PipelineRunner().run(pipeline, from: checkpoint, observer: observer)
        return (result, try Gunzip.read(plan.output))
    }
}

/// Reads a file, inflating it with zlib (independently of Ferry's reader) when it is gzip.
enum Gunzip {
    static func read(_ path: String) throws -> [UInt8] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard data.count > 2, data[0] == 0x1F, data[1] == 0x8B else { return data }
        var stream = z_stream()
        inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = data
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let (code, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    let code = inflate(&stream, Z_NO_FLUSH)
                    return (code, out.count - Int(stream.avail_out))
                }
                output += chunk[0..<produced]
                if code == Z_STREAM_END {
                    if stream.avail_in == 0 { return }
                    inflateReset(&stream)
                } else if code != Z_OK {
                    throw NSError(domain: "gunzip", code: Int(code))
                }
            }
        }
        return output
    }
}

/// A Python one-liner run on a file, to check output with parsers independent of Ferry's.
enum Python {
    static func run(_ script: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe.closedOnExec()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
