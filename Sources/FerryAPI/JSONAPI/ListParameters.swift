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
    public init(_ uri: URI, type: ResourceType, catalog: ResourceCatalog, includable: Set<String>? = nil) throws {
        filter = Filter(resourceType: type.name)
        var filterEntries: [(key: String, value: JSONValue)] = []
        for (rawKey, rawValue) in uri.queryParameters {
            let key = String(rawKey).removingPercentEncoding ?? String(rawKey)
            let value = String(rawValue)
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
                sort = try value.split(separator: ",").map { part in
                    let descending = part.hasPrefix("-")
                    let name = String(descending ? part.dropFirst() : part)
                    guard type.attribute(named: name)?.isSortable == true else {
                        let valid = type.attributes.filter(\.isSortable).map(\.name)
                        throw APIError.badRequest("cannot sort \(type.name) by '\(name)'; sortable: \(valid.joined(separator: ", "))", parameter: "sort")
                    }
                    return RecordSort(name, descending: descending)
                }
            case "include":
                include = value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if let includable {
                    if let unknown = include.first(where: { !includable.contains($0) }) {
                        let valid = includable.isEmpty ? "none" : includable.sorted().joined(separator: ", ")
                        throw APIError.badRequest("\(type.name) cannot include '\(unknown)'; includable: \(valid)", parameter: "include")
                    }
                    continue
                }
                guard catalog[type.name] != nil, !type.relationships.isEmpty else {
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
                    let names = value.split(separator: ",").map(String.init)
                    let fieldsType = fieldType == type.name ? type : catalog[fieldType]
                    if let fieldsType, let unknown = names.first(where: {
                        fieldsType.attribute(named: $0) == nil && fieldsType.relationship(named: $0) == nil && $0 != "attachment_url"
                            && !(fieldsType.name == "imports" && $0 == "inputs")
                    }) {
                        throw APIError.badRequest("\(fieldsType.name) has no field '\(unknown)'", parameter: key)
                    }
                    fields[fieldType] = names
                } else if key.hasPrefix("filter[q]["), key.hasSuffix("]") {
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

    /// The offset of the page's first record.
    public var offset: Int { (pageNumber - 1) * pageSize }
}
