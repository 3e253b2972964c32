import ArgumentParser
import FerryCore

/// Checks resource type names given on the command line before anything runs, suggesting the
/// nearest type for a typo: "unknown type 'sku' — did you mean 'skus'?".
enum ResourceTypeCheck {
    /// Refuses a name the catalog does not have (a usage error, exit 64).
    static func check(_ name: String, option: String = "--type") throws {
        guard ResourceCatalog.commerce[name] == nil else { return }
        let names = ResourceCatalog.commerce.types.map(\.name)
        throw ValidationError("\(option): unknown type '\(name)'\(Suggestion.phrase(for: name, in: names)); the types are \(names.sorted().joined(separator: ", "))")
    }
}
