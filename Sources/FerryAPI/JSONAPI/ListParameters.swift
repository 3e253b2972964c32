import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// The query parameters of a list endpoint (SPEC §7): `page[number]`, `page[size]` (default 10,
/// at most 25), `sort=-created_at,status`, `fields[type]=a,b` and `filter[q][predicate]=value`.
public struct ListParameters: Sendable {
    /// The page, from 1.
    public var pageNumber = 1
    /// Records per page.
    public var pageSize = 10
    /// Sort keys.
    public var sort: [RecordSort] = []
    /// Sparse fieldsets by type.
    public var fields: [String: [String]] = [:]
    /// The filter.
    public var filter: Filter
    /// The `include=` paths (dotted), checked against the catalog.
    public var include: [String] = []

    /// The largest page size.
    public static let maximumPageSize = 25

    /// The largest page number: far past any dataset, and small enough that the offset of its
    /// first record (page number × page size) can never overflow.
    public static let maximumPageNumber = 1_000_000_000

    /// Parses and checks a request's query against `type` (in `catalog`); `includable` names the
    /// relationships `include=` may name when they are not the type's own (a job's change logs).
    /// `listing` false (a retrieve) takes only `include` and `fields[…]`.
    ///
    /// The grammar is strict, as the OpenAPI document states it: `include`, `sort` and `fields[…]`
    /// are comma-separated names without blanks or empty items (an empty value names none), an
    /// include path's dotted parts are never empty, `fields[…]` names a type the answer can hold.
    public init(_ uri: URI, type: ResourceType, catalog: ResourceCatalog, includable: Set<String>? = nil, listing: Bool = true) throws {
        filter = Filter(resourceType: type.name)
        var filterEntries: [(key: String, value: JSONValue)] = []
        let fieldsTypes = Self.fieldsTypes(of: type, catalog: catalog, includable: includable)
        for (key, value) in try Self.queryItems(uri.query) {
            let isListing = key.hasPrefix("page[") || key == "sort" || key.hasPrefix("filter[")
            if isListing && !listing {
                throw APIError.badRequest("'\(key)' applies to lists only; a single \(type.singular) takes include and fields[…]", parameter: key)
            }
            switch key {
            case "page[number]":
                guard let number = Int(value), (1...Self.maximumPageNumber).contains(number) else {
                    throw APIError.badRequest("page[number] must be a whole number from 1 to \(Self.maximumPageNumber)", parameter: key)
                }
                pageNumber = number
            case "page[size]":
                guard let size = Int(value), (1...Self.maximumPageSize).contains(size) else {
                    throw APIError.badRequest("page[size] must be a whole number from 1 to \(Self.maximumPageSize)", parameter: key)
                }
                pageSize = size
            case "sort":
                sort = try Self.items(value, parameter: key).map { part in
                    let descending = part.hasPrefix("-")
                    let name = String(descending ? part.dropFirst() : part[...])
                    guard type.attribute(named: name)?.isSortable == true else {
                        throw APIError.badRequest("cannot sort \(type.name) by '\(name)'; sortable: \(Self.sortableNames(of: type).joined(separator: ", "))", parameter: "sort")
                    }
                    return RecordSort(name, descending: descending)
                }
            case "include":
                include = try Self.items(value, parameter: key)
                if let path = include.first(where: { $0.split(separator: ".", omittingEmptySubsequences: false).contains("") }) {
                    throw APIError.badRequest("include path '\(path)' has an empty part", parameter: key)
                }
                if let includable {
                    if let unknown = include.first(where: { !includable.contains($0) }) {
                        let valid = includable.isEmpty ? "none" : includable.sorted().joined(separator: ", ")
                        throw APIError.badRequest("\(type.name) cannot include '\(unknown)'; includable: \(valid)", parameter: "include")
                    }
                    continue
                }
                guard include.isEmpty || (catalog[type.name] != nil && !type.relationships.isEmpty) else {
                    throw APIError.badRequest("\(type.name) has no includable relationships", parameter: "include")
                }
                do {
                    _ = try IncludeTree(paths: include, type: type, catalog: catalog)
                } catch {
                    throw APIError.badRequest(String(describing: error), parameter: "include")
                }
            default:
                if key.hasPrefix("fields["), key.hasSuffix("]") {
                    let fieldType = String(key.dropFirst(7).dropLast())
                    guard let fieldsType = fieldsTypes.first(where: { $0.name == fieldType }) else {
                        throw APIError.badRequest(
                            "fields[\(fieldType)]: an answer of \(type.name) holds only \(fieldsTypes.map(\.name).joined(separator: ", "))", parameter: key)
                    }
                    let names = try Self.items(value, parameter: key)
                    let valid = Set(Self.fieldNames(of: fieldsType))
                    if let unknown = names.first(where: { !valid.contains($0) }) {
                        throw APIError.badRequest("\(fieldsType.name) has no field '\(unknown)'", parameter: key)
                    }
                    fields[fieldType] = names
                } else if key.hasPrefix("filter[q]["), key.hasSuffix("]"), key.count > 11 {
                    filterEntries.append((String(key.dropFirst(10).dropLast()), .string(value)))
                } else {
                    throw APIError.badRequest("unknown query parameter '\(key)'", parameter: key)
                }
            }
        }
        do {
            filter = try Filter(filterEntries, for: type, in: catalog)
        } catch {
            throw APIError.badRequest(String(describing: error), parameter: "filter[q][\(error.key)]")
        }
    }

    /// The query's items, decoded as forms are (`+` is a space, then percent-decoding): what
    /// HTML forms, Rails and Python's requests send. An item that is not valid percent-encoded
    /// UTF-8 is a 400 naming it; an empty item (`a=1&&b=2`) is skipped.
    public static func queryItems(_ query: String?) throws -> [(key: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        var items: [(key: String, value: String)] = []
        for item in query.split(separator: "&") {
            let (rawKey, rawValue) = item.firstIndex(of: "=").map { (item[..<$0], item[item.index(after: $0)...]) } ?? (item, "")
            func decoded(_ text: Substring, naming: String) throws -> String {
                guard let text = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw APIError.badRequest("query parameter '\(naming)' is not valid percent-encoded UTF-8", parameter: naming)
                }
                return text
            }
            let key = try decoded(rawKey, naming: String(rawKey))
            items.append((key, try decoded(rawValue, naming: key)))
        }
        return items
    }

    /// A comma-separated value's items: none for an empty value; an empty item is a 400.
    static func items(_ value: String, parameter: String) throws -> [String] {
        guard !value.isEmpty else { return [] }
        let items = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !items.contains("") else {
            throw APIError.badRequest("\(parameter) is a comma-separated list without empty items", parameter: parameter)
        }
        return items
    }

    /// The attributes `sort` may name.
    public static func sortableNames(of type: ResourceType) -> [String] {
        type.attributes.filter(\.isSortable).map(\.name)
    }

    /// The names `fields[type]` may list: the exportable attributes, the relationships, and a
    /// job's `attachment_url` (an import's `inputs` too).
    public static func fieldNames(of type: ResourceType) -> [String] {
        var names = type.attributes.filter(\.isExportable).map(\.name) + type.relationships.map(\.name)
        if JobKind(rawValue: type.name) != nil { names.append("attachment_url") }
        if JobKind(rawValue: type.name) == .import { names.append("inputs") }
        return names
    }

    /// The types whose `fields[…]` an answer of `type` takes: its own, and those `include=` can
    /// reach — the change logs `includable` names, or the catalog relationships up to
    /// ``IncludeTree/maximumDepth`` levels deep.
    public static func fieldsTypes(of type: ResourceType, catalog: ResourceCatalog, includable: Set<String>? = nil) -> [ResourceType] {
        var types = [type]
        func add(_ candidate: ResourceType) {
            if !types.contains(where: { $0.name == candidate.name }) { types.append(candidate) }
        }
        if let includable {
            for name in includable.sorted() { if let log = ResourceCatalog.jobs[name] { add(log) } }
            return types
        }
        guard catalog[type.name] != nil else { return types }
        var level = [type]
        for _ in 0..<IncludeTree.maximumDepth {
            var next: [ResourceType] = []
            for current in level {
                for relationship in current.relationships {
                    guard let target = catalog[relationship.target] else { continue }
                    if !types.contains(where: { $0.name == target.name }) { next.append(target) }
                    add(target)
                }
            }
            level = next
        }
        return types
    }

    /// The offset of the page's first record.
    public var offset: Int { (pageNumber - 1) * pageSize }
}
