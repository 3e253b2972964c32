import FerryAPI
import FerryCore
import FerryJobs
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One sample of the exposition text: a name, its labels and its value.
struct MetricSample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// Reads the samples of a Prometheus text exposition (comment lines skipped; label values without
/// escaped quotes, as Ferry's are).
func parseExposition(_ text: String) -> [MetricSample] {
    text.split(separator: "\n").compactMap { line -> MetricSample? in
        guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
        let series = line[..<space]
        guard let open = series.firstIndex(of: "{") else { return MetricSample(name: String(series), labels: [:], value: value) }
        var labels: [String: String] = [:]
        for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return MetricSample(name: String(series[..<open]), labels: labels, value: value)
    }
}

extension [MetricSample] {
    /// The value of the sample `name` with exactly these labels among its own (nil: none).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }
}

@Suite("Prometheus metrics", .timeLimit(.minutes(1)))
struct MetricsTests {
    @Test("/metrics counts the records exports wrote and imports handled, jobs by status, requests by route, heartbeats")
    func countsMatchTheJobs() async throws {
        let fixture = try await APIFixture(skus: 30)
        defer { fixture.remove() }
        let token = try await fixture.token()
        let pool = fixture.pool(JobConfiguration(pollInterval: .milliseconds(5), progressInterval: .zero, metrics: fixture.services.metrics.jobs))
        let text = try await fixture.withApp(workers: pool) { client -> String in
            // Two exports of skus and one of prices; the records are counted from the files downloaded.
            var exported: [String: Int] = [:]
            for (type, filter) in [("skus", #","filters":{"code_start":"SKU-0000"}"#), ("skus", ""), ("prices", "")] {
                let body = #"{"data":{"type":"exports","attributes":{"resource_type":"\#(type)"\#(filter)}}}"#
                let id = try await client.call(.post, "/api/exports", token: token, body: body).json.dataID
                let done = try await client.poll("/api/exports/\(id)", token: token) { $0.attribute("status") == "completed" }
                let file = try await ExportJobTests.download(client, done)
                guard case .array(let records) = try JSONParser.parse(try await gunzip(Array(file.body.readableBytesView))) else {
                    Issue.record("the export is not a JSON array")
                    return ""
                }
                #expect(done.attribute("records_count") == .int(Int64(records.count)))
                exported[type, default: 0] += records.count
            }
            #expect(exported["skus"] ?? 0 > 0)

            // Imports: two created; the same again changes nothing; a third with a refused input (skipped).
            let inputs = #"[{"name":"metrics-a"},{"name":"metrics-b"}]"#
            for body in [inputs, inputs, #"[{"name":"metrics-c"},{"colour":"red"},{"name":"metrics-a"}]"#] {
                let create = #"{"data":{"type":"imports","attributes":{"resource_type":"tags","skip_errors":true,"inputs":\#(body)}}}"#
                let id = try await client.call(.post, "/api/imports", token: token, body: create).json.dataID
                _ = try await client.poll("/api/imports/\(id)", token: token) { $0.attribute("status") == "completed" }
            }
            let missing = try await client.call(.get, "/api/exports/nosuchjob", token: token)
            #expect(missing.status == .notFound)
            let scrape = try await client.execute(uri: "/metrics", method: .get)
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: scrape.body)
            let samples = parseExposition(text)
            for (type, count) in exported {
                #expect(samples.value("ferry_records_exported_total", ["mode": "test", "resource_type": type]) == Double(count), "\(type)")
            }
            #expect(samples.value("ferry_records_exported_total", ["mode": "live"]) == nil)
            let imported = { (outcome: String) in samples.value("ferry_records_imported_total", ["mode": "test", "resource_type": "tags", "outcome": outcome]) }
            #expect(imported("created") == 3)
            #expect(imported("unchanged") == 3)
            #expect(imported("updated") == 0)
            #expect(imported("refused") == 1)

            #expect(samples.value("ferry_jobs", ["kind": "exports", "status": "completed", "mode": "test"]) == 3)
            #expect(samples.value("ferry_jobs", ["kind": "imports", "status": "completed", "mode": "test"]) == 3)
            #expect(samples.value("ferry_jobs", ["kind": "exports", "status": "failed", "mode": "live"]) == 0)
            #expect(samples.value("ferry_job_queue_depth", ["kind": "exports", "mode": "test"]) == 0)
            #expect(samples.value("ferry_job_duration_seconds_count", ["kind": "exports", "mode": "test", "status": "completed"]) == 3)
            #expect(samples.value("ferry_job_duration_seconds_bucket", ["kind": "imports", "status": "completed", "le": "+Inf"]) == 3)

            // Requests by the route's pattern and status, never by raw path.
            #expect(samples.value("ferry_http_requests_total", ["method": "POST", "route": "/api/exports", "status": "201"]) == 3)
            #expect(samples.value("ferry_http_requests_total", ["method": "GET", "route": "/api/exports/{id}", "status": "404"]) == 1)
            #expect((samples.value("ferry_http_request_duration_seconds_count", ["route": "/api/exports/{id}", "status": "200"]) ?? 0) >= 3)
            let routes = Set(samples.filter { $0.name.hasPrefix("ferry_http_") }.compactMap { $0.labels["route"] })
            #expect(!routes.contains { $0.contains("nosuchjob") || $0.contains("?") })
            #expect(samples.contains { $0.name == "ferry_worker_heartbeats_total" && $0.value >= 1 })
            let last = samples.first { $0.name == "ferry_worker_last_heartbeat_timestamp_seconds" }?.value ?? 0
            #expect(abs(last - Date().timeIntervalSince1970) < 600)
            return text
        }
        try await Self.checkWithPrometheusClient(text)
    }

    /// The same text through prometheus_client's parser (the tools' venv, from `make tools`):
    /// every family parses, and the exported counter reads the same there.
    static func checkWithPrometheusClient(_ text: String) async throws {
        let python = OpenAPITests.root.appendingPathComponent(".build-tools/venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("prometheus_client is not installed: run 'make tools' (make test does)")
            return
        }
        let script = OpenAPITests.root.appendingPathComponent("Tests/FerryAPITests/metrics_parse.py").path
        let (status, output) = try await runProgram(python, [script], input: Array(text.utf8), mergeErrors: false)
        try #require(status == 0, "prometheus_client refused the exposition")
        let parsed = try String(decoding: output, as: UTF8.self).split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
        let ours = parseExposition(text)
        #expect(parsed.count == ours.count)
        let families = Dictionary(parsed.map { ($0["family"]?.stringValue ?? "", $0["type"]?.stringValue ?? "") }) { first, _ in first }
        #expect(families["ferry_records_exported"] == "counter")
        #expect(families["ferry_jobs"] == "gauge")
        #expect(families["ferry_job_duration_seconds"] == "histogram")
        #expect(families["ferry_http_request_duration_seconds"] == "histogram")
        for sample in parsed where sample["name"]?.stringValue == "ferry_records_exported_total" {
            guard let members = sample["labels"]?.objectMembers else { continue }
            let labels = Dictionary(members.map { ($0.key, $0.value.stringValue ?? "") }) { first, _ in first }
            let value: Double? = switch sample["value"] {
            case .int(let n)?: Double(n)
            case .double(let d)?: d
            default: nil
            }
            #expect(value == ours.value("ferry_records_exported_total", labels))
        }
    }
}

@Suite("Metrics bootstrap")
struct MetricsBootstrapTests {
    @Test("the process-wide metrics system is bootstrapped at most once, whatever asks again")
    func once() {
        _ = FerryMetrics().bootstrapProcess()
        #expect(FerryMetrics().bootstrapProcess() == false)
    }
}
