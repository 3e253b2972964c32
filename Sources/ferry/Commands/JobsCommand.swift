import ArgumentParser
import FerryAPI
import FerryCore
import FerryStore
import Foundation

/// `ferry jobs`: recent exports and imports, of the local datasets or of a server.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List recent exports and imports with their status (local, or --server).",
        discussion: """
            With --watch the table is redrawn every --interval seconds until Ctrl-C: in place on a terminal, \
            printed anew (without control codes) when the output is a pipe or a file.
            """)

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: RemoteOptions

    @Option(name: .customLong("mode"), help: "The dataset whose jobs to list (default: test; with --server, the token's).")
    var givenMode: DatasetMode?

    var mode: DatasetMode { givenMode ?? .test }

    @Option(help: "How many of each kind.")
    var limit = 10

    @Flag(help: "Redraw the table on a timer until Ctrl-C.")
    var watch = false

    @Option(help: ArgumentHelp("Seconds between two redraws with --watch.", valueName: "seconds"))
    var interval: Double = 2

    func validate() throws {
        guard interval >= 0.05 else { throw ValidationError("--interval must be at least 0.05 seconds") }
    }

    func run() async throws {
        let client = try remote.client(mode: givenMode)
        guard watch else {
            if let client {
                try await RemoteOptions.using(client) { client in print(try await table(client)) }
            } else {
                print(try await table(nil))
            }
            return
        }
        let origin = client == nil ? "the \(mode.rawValue) dataset" : remote.server ?? ""
        try await LiveTable(interval: interval).run {
            let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
            let heading = "ferry jobs — \(origin) — \(time) UTC, every \(String(format: "%g", interval)) s (Ctrl-C to stop)\n\n"
            do {
                return heading + (try await table(client))
            } catch {
                // A server restarting or a busy dataset: say so, and try again at the next tick.
                return heading + "could not read the jobs: \(CommandFailure(error))"
            }
        }
    }

    /// The table of recent jobs, from the server `client` talks to, else the local dataset.
    func table(_ client: FerryClient?) async throws -> String {
        var rows: [(created: String, row: [String])] = []
        func row(_ kind: JobKind, _ id: String, _ attribute: (String) -> String) -> (String, [String]) {
            let total = attribute(kind == .export ? "records_count" : "inputs_size")
            return (attribute("created_at"), [
                kind.rawValue, id, attribute("resource_type"), attribute("format"), attribute("status"),
                "\(attribute("processed_count"))\(total.isEmpty ? "" : "/\(total)")", attribute("created_at"),
            ])
        }
        if let client {
            for kind in JobKind.allCases {
                for job in try await client.recent(kind, limit: limit) {
                    rows.append(row(kind, job.id) { name in Self.text(job.attribute(name)) })
                }
            }
        } else {
            let dataset = try data.open(mode, access: .readOnly)
            for kind in JobKind.allCases {
                for record in try dataset.jobs(kind.resourceType, sort: [RecordSort("created_at", descending: true)], offset: 0, limit: limit).records {
                    rows.append(row(kind, record.id ?? "") { name in Self.text(record[name]?.jsonValue) })
                }
            }
        }
        rows.sort { $0.created > $1.created }
        let table = TextTable(headers: ["kind", "id", "type", "format", "status", "processed", "created"], rows: rows.map(\.row)).render()
        return rows.isEmpty ? table + "\nno exports or imports yet" : table
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case .int(let n)?: return String(n)
        case .double(let d)?: return String(format: "%g", d)
        case .bool(let b)?: return String(b)
        default: return ""
        }
    }
}
