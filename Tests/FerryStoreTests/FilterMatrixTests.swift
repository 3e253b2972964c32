import FerryCore
import FerryStore
import Testing

/// Every predicate form of the filter language — each base and each `_any`/`_all` form — on the
/// same seeded records, through SQL (FerryStore) and in memory (FerryCore): both must select the
/// same records, for every attribute type the form applies to, own or reached through a relationship.
@Suite struct FilterMatrixTests {
    /// The distinct non-null values a path holds in `records`, in order of first appearance.
    static func samples(of path: AttributePath, in records: [Record], memory: MemoryDataset) -> [Value] {
        var seen = Set<Value>()
        var out: [Value] = []
        for record in records {
            let value = memory.value(of: path, in: record)
            if !value.isNull, seen.insert(value).inserted { out.append(value) }
        }
        return out
    }

    /// A value as a filter operand.
    static func operand(_ value: Value) -> JSONValue {
        switch value {
        case .timestamp(let t): return .string(t.iso8601)
        default: return value.jsonValue
        }
    }

    /// A few operands for a predicate, built from the values the data holds so that most
    /// select a proper subset; list forms get lists of distinct and of repeated values.
    static func operands(for predicate: FilterPredicate, samples: [Value]) -> [JSONValue] {
        let s = samples.isEmpty ? [Value.string("x")] : samples
        let a = s[0], b = s[min(1, s.count - 1)], c = s[min(2, s.count - 1)]
        func text(_ v: Value) -> String { v.stringValue ?? "" }
        func fragments(_ v: Value) -> [String] {
            let t = text(v)
            return [String(t.prefix(2)), String(t.suffix(2)), String(t.dropFirst(1).prefix(2))]
        }
        func pattern(_ fragment: String) -> JSONValue {
            // `matches` takes a LIKE pattern, the other text predicates a plain fragment.
            predicate.base == .matches || predicate.base == .doesNotMatch ? .string(fragment + "%") : .string(fragment)
        }
        switch predicate.operandKind {
        case .scalar:
            return [operand(a), operand(b)]
        case .list:
            if predicate.base == .in || predicate.base == .notIn, predicate.quantifier != nil {
                return [.array([.array([operand(a), operand(b)]), .array([operand(b), operand(c)])]),
                        .array([.array([operand(a)]), .array([operand(a), operand(c)])])]
            }
            return [.array([operand(a), operand(b)]), .array([operand(a), operand(a)]), .array([operand(b), operand(c)])]
        case .text:
            return fragments(a).map(pattern)
        case .textList:
            let fa = fragments(a), fb = fragments(b)
            return [.array([pattern(fa[0]), pattern(fb[1])]), .array([pattern(fa[0]), pattern(String(text(a).prefix(1)))]),
                    .array([pattern(fa[1]), pattern(fa[1])])]
        case .flag:
            return [.bool(true), .bool(false)]
        case .json:
            if case .json(.object(let members)) = a, let first = members.first { return [.object([first]), .object([])] }
            return [.object([])]
        }
    }

    @Test(arguments: ["skus", "prices", "orders", "customers"])
    func sqlAndMemoryAgreeOnEveryPredicateForm(typeName: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Dataset.temporary(directory)
        try DatasetSeeder(dataset: dataset, options: .init(skus: 60, seed: 5)).run()
        let catalog = dataset.catalog
        let type = try catalog.type(named: typeName)
        let memory = try MemoryDataset(dataset, types: Array(Set([typeName] + type.belongsTo.map(\.target))))
        let records = memory.records[typeName] ?? []
        #expect(!records.isEmpty)

        // Up to two paths of each attribute type: the type's own, then through a relationship.
        var names = AttributePath.filterableNames(of: type)
        for relationship in type.belongsTo {
            guard let target = catalog[relationship.target] else { continue }
            names += AttributePath.filterableNames(of: target).map { relationship.name + "_" + $0 }
        }
        var pathsByType: [AttributeType: [(String, AttributePath)]] = [:]
        for name in names {
            guard let path = AttributePath.resolve(name, in: type, catalog: catalog) else { continue }
            let samples = Self.samples(of: path, in: records, memory: memory)
            guard samples.count > 1, (pathsByType[path.attribute.type]?.count ?? 0) < 2 else { continue }
            if let first = pathsByType[path.attribute.type]?.first, first.1.relationships.isEmpty == path.relationships.isEmpty { continue }
            pathsByType[path.attribute.type, default: []].append((name, path))
        }

        var compared = Set<FilterPredicate>(), selective = Set<FilterPredicate>()
        for predicate in FilterPredicate.allCases {
            for (name, path) in pathsByType.values.joined() where predicate.applies(to: path.attribute.type) {
                let samples = Self.samples(of: path, in: records, memory: memory)
                for value in Self.operands(for: predicate, samples: samples) {
                    let key = name + "_" + predicate.rawValue
                    let filter = try Filter([(key: key, value: value)], for: type, in: catalog)
                    let viaSQL = try dataset.ids(RecordQuery(type: type, filter: filter))
                    let inMemory = memory.ids(typeName, matching: filter)
                    #expect(viaSQL == inMemory, "\(typeName): \(key) = \(value.jsonText)")
                    compared.insert(predicate)
                    if !viaSQL.isEmpty && viaSQL.count < records.count { selective.insert(predicate) }
                }
            }
        }
        // Every form that applies to some attribute of the type was compared, and each one that
        // takes a value selected a proper subset at least once (so the comparison is not between
        // two empty answers); the switches depend on the seed having nulls or empty texts.
        let applicable = Set(FilterPredicate.allCases.filter { p in pathsByType.values.joined().contains { p.applies(to: $0.1.attribute.type) } })
        #expect(compared == applicable)
        let unselective = applicable.subtracting(selective).filter { $0.operandKind != .flag }
        #expect(unselective.isEmpty, "never selective: \(unselective.map(\.rawValue).sorted())")
    }

    @Test func theMatrixCoversEveryForm() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataset = try Dataset.temporary(directory)
        // Across the types above, every form applies somewhere: skus have text, numbers,
        // booleans, timestamps and metadata.
        let skus = try dataset.catalog.type(named: "skus")
        let types = Set(skus.attributes.filter { $0.isFilterable && $0.isStored }.map(\.type))
        for predicate in FilterPredicate.allCases {
            #expect(types.contains { predicate.applies(to: $0) }, "\(predicate.rawValue)")
        }
    }
}
