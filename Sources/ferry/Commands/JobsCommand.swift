import ArgumentParser
import FerryAPI
import FerryCore
import FerryStore
import Foundation

/// `ferry jobs`: recent exports and imports, of the local datasets or of a server.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List recent exports and imports with their status (local, or --server).")

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: RemoteOptions

    @Option(name: .customLong("mode"), help: "The dataset whose jobs to list (default: test; with --server, the token's).")
    var givenMode: DatasetMode?

    var mode: DatasetMode { givenMode ?? .test }

    @Option(help: "How many of each kind.")
    var limit = 10

    func run() async throws {
        var rows: [(created: String, row: [String])] = []
        func row(_ kind: JobKind, _ id: String, _ attribute: (String) -> String) -> (String, [String]) {
            let total = attribute(kind == .export ? "records_count" : "inputs_size")
            return (attribute("created_at"), [
                kind.rawValue, id, attribute("resource_type"), attribute("format"), attribute("status"),
                "\(attribute("processed_count"))\(total.isEmpty ? "" : "/\(total)")", attribute("created_at"),
            ])
        }
        if let client = try remote.client(mode: givenMode) {
            try await RemoteOptions.using(client) { client in
                for kind in JobKind.allCases {
                    for job in try await client.recent(kind, limit: limit) {
                        rows.append(row(kind, job.id) { name in Self.text(job.attribute(name)) })
                    }
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
        print(TextTable(headers: ["kind", "id", "type", "format", "status", "processed", "created"], rows: rows.map(\.row)).render())
        if rows.isEmpty { print("no exports or imports yet") }
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
