import FerryCore
import Foundation

/// Commerce Layer's link triggers in an input: `_add_tags` and `_remove_tags` — a comma-separated
/// list of names (or an array of them) of records to link to, or unlink from, the input's
/// record, leaving its other links as they are (unlike `tags`, which gives the whole set). The
/// names are matched by the related type's one-attribute natural key (a tag's `name`); a name
/// of no record is left out, with a warning, as Commerce Layer discards it.
enum LinkTrigger {
    /// One change an input asks for.
    struct Change: Sendable {
        /// The many-to-many relationship (`tags`).
        var relationship: String
        /// Add the links, or remove them.
        var add: Bool
        /// The related records' keys.
        var names: [String]
    }

    /// The change a field named `_add_<relationship>` or `_remove_<relationship>` asks for: nil
    /// when the name is no trigger of the type, a failure when its value is no list of names.
    static func parse(_ name: String, value: Value, index: FieldIndex) -> Result<Change, ImportPreparer.TypeMismatch>? {
        let add: Bool
        let relationship: String
        if name.hasPrefix("_add_") {
            (add, relationship) = (true, String(name.dropFirst("_add_".count)))
        } else if name.hasPrefix("_remove_") {
            (add, relationship) = (false, String(name.dropFirst("_remove_".count)))
        } else {
            return nil
        }
        guard index.listKeys[relationship] != nil else { return nil }
        switch value {
        case .null: return .success(Change(relationship: relationship, add: add, names: []))
        case .string(let list): return .success(Change(relationship: relationship, add: add, names: names(list)))
        case .json(.array(let items)) where items.allSatisfy({ $0.stringValue != nil }):
            return .success(Change(relationship: relationship, add: add, names: names(items.compactMap(\.stringValue).joined(separator: ","))))
        default:
            return .failure(ImportPreparer.TypeMismatch("must be a comma-separated list of \(relationship) names"))
        }
    }

    /// The names in a comma-separated list, trimmed, without empty ones or repeats.
    static func names(_ list: String) -> [String] {
        var seen: Set<String> = []
        return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
