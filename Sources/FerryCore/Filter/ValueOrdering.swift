/// Orders values the way SQLite orders them in a column of their type: numbers numerically,
/// text by its UTF-8 bytes (SQLite's `BINARY` collation), booleans as 0 and 1, timestamps in time.
public enum ValueOrdering {
    /// Compares two non-null values: negative, zero or positive; `nil` when they cannot be compared.
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)): return compareUTF8(x, y)
        case (.timestamp(let x), .timestamp(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): return (x ? 1 : 0) - (y ? 1 : 0)
        default:
            if let x = numeric(a), let y = numeric(b) { return x < y ? -1 : (x == y ? 0 : 1) }
            return nil
        }
    }

    private static func numeric(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Compares strings byte by byte in UTF-8, as SQLite's `BINARY` collation does.
    public static func compareUTF8(_ x: String, _ y: String) -> Int {
        var xi = x.utf8.makeIterator()
        var yi = y.utf8.makeIterator()
        while true {
            switch (xi.next(), yi.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let p?, let q?): if p != q { return p < q ? -1 : 1 }
            }
        }
    }
}
