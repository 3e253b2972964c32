import FerryCore

/// Tells an import's input format from its first bytes, for inputs sent without a `format`
/// (SPEC §3): a JSON array (`[`), NDJSON (`{` — one object per line), XML (`<`), else CSV (a
/// header line). Leading whitespace and a UTF-8 byte order mark are skipped; gzip input is looked
/// at decompressed (``head(ofPossiblyGzip:)``).
public enum InputFormatDetector {
    /// The format of input that starts with `head`; nil when it holds nothing but whitespace.
    public static func format(ofHead head: some Collection<UInt8>) -> String? {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let first = bytes.first(where: { !(($0 == 32) || ($0 == 9) || ($0 == 10) || ($0 == 13)) }) else { return nil }
        switch first {
        case UInt8(ascii: "["): return "json"
        case UInt8(ascii: "{"): return "ndjson"
        case UInt8(ascii: "<"): return "xml"
        default: return "csv"
        }
    }

    /// The format a file name's extension says (`skus.csv.gz` → `csv`), if any.
    public static func format(ofFileName name: String) -> String? {
        var parts = name.lowercased().split(separator: ".").map(String.init)
        if parts.last == "gz" { parts.removeLast() }
        guard parts.count > 1, let ext = parts.last else { return nil }
        switch ext {
        case "json": return "json"
        case "ndjson", "jsonl": return "ndjson"
        case "csv": return "csv"
        case "xml": return "xml"
        default: return nil
        }
    }
}
