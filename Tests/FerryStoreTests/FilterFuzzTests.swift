import FerryCore
import FerryStore
import Testing

/// Random filters over a seeded dataset: the compiled SQL and the in-memory evaluator must select
/// the same records, every time.
@Suite struct FilterFuzzTests {
    /// A deterministic generator (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Picks an operand for a path, mostly from values the data really holds.
    static func operand(for path: AttributePath, predicate: FilterPredicate, samples: [Value], rng: inout SplitMix) -> JSONValue {
        func sample() -> JSONValue {
            let value = samples.randomElement(using: &rng) ?? .null
            switch value {
            case .string(let s):
                switch predicate.operandKind {
                case .text, .textList:
                    // Fragments of real text exercise start/end/cont.
                    let cut = s.isEmpty ? 0 : Int.random(in: 0...min(4, s.count), using: &rng)
                    return .string(Bool.random(using: &rng) ? String(s.prefix(cut)) : String(s.suffix(cut)))
                default: return .string(s)
                }
            case .int(let i): return .int(i + Int64.random(in: -1...1, using: &rng))
            case .double(let d): return .double(d)
            case .bool(let b): return .bool(b)
            case .timestamp(let t): return .string(Timestamp(millisecondsSinceEpoch: t.millisecondsSinceEpoch + Int64.random(in: -5_000...5_000, using: &rng)).iso8601)
            case .json(let j):
                if case .object(let members) = j, let member = members.randomElement(using: &rng) { return .object([member]) }
                return .object([])
            default:
                switch path.attribute.type {
                case .integer: return .int(Int64.random(in: 0...10, using: &rng))
                case .float: return .double(Double.random(in: 0...100, using: &rng).rounded())
                case .boolean: return .bool(Bool.random(using: &rng))
                case .datetime: return "2025-01-06T10:00:00Z"
                case .object, .array: return ["season": "fall"]
                case .string: return "x"
                }
            }
        }
        switch predicate.operandKind {
        case .scalar, .text, .json: return sample()
        case .list, .textList: return .array((0..<Int.random(in: 1...3, using: &rng)).map { _ in sample() })
        case .flag: return .bool(Bool.random(using: &rng))
        }
    }

    @Test(arguments: ["skus", "prices", "orders", "customers"])
    func sqlAndMemoryAgree(typeName: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Dataset.temporary(directory)
        try DatasetSeeder(dataset: dataset, options: .init(skus: 120, seed: 3)).run()
        let catalog = dataset.catalog
        let type = try catalog.type(named: typeName)
        let related = Set([typeName] + type.belongsTo.map(\.target) + type.belongsTo.compactMap { catalog[$0.target] }.flatMap { $0.belongsTo.map(\.target) })
        let memory = try MemoryDataset(dataset, types: Array(related))
        let records = memory.records[typeName] ?? []
        // Candidate attribute names: own, foreign keys, and one hop through each belongs-to.
        var names = AttributePath.filterableNames(of: type)
        for relationship in type.belongsTo {
            guard let target = catalog[relationship.target] else { continue }
            names += AttributePath.filterableNames(of: target).map { relationship.name + "_" + $0 }
        }
        var rng = SplitMix(state: 0xF00D ^ UInt64(typeName.count))
        var checked = 0, nonTrivial = 0
        for _ in 0..<400 {
            let name = names.randomElement(using: &rng)!
            guard let path = AttributePath.resolve(name, in: type, catalog: catalog) else { continue }
            let predicates = FilterPredicate.allCases.filter { $0.applies(to: path.attribute.type) }
            let predicate = predicates.randomElement(using: &rng)!
            let samples = records.map { memory.value(of: path, in: $0) }
            let value = Self.operand(for: path, predicate: predicate, samples: samples, rng: &rng)
            let key = name + "_" + predicate.rawValue
            let filter: Filter
            do {
                filter = try Filter([(key: key, value: value)], for: type, in: catalog)
            } catch {
                continue  // a generated operand the attribute's type refuses (e.g. text for an integer)
            }
            let viaSQL = try dataset.ids(RecordQuery(type: type, filter: filter))
            let inMemory = memory.ids(typeName, matching: filter)
            #expect(viaSQL == inMemory, "\(key) = \(value.jsonText)")
            checked += 1
            if !viaSQL.isEmpty && viaSQL.count < records.count { nonTrivial += 1 }
        }
        #expect(checked > 200, "too few filters were valid")
        #expect(nonTrivial > 50, "too few filters selected a proper subset")
    }
}
