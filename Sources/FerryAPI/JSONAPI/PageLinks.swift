import FerryCore

/// The `links` of a list page (SPEC §7): `first`, `prev`, `next` and `last`, each the request's
/// own query with its page number replaced.
struct PageLinks {
    /// The list's absolute URL without a query.
    let base: String
    /// The request's query string.
    let query: String
    /// The parsed parameters.
    let parameters: ListParameters
    /// How many pages there are.
    let pages: Int

    private func link(_ page: Int) -> JSONValue {
        var items = query.split(separator: "&").filter { !$0.hasPrefix("page%5Bnumber%5D=") && !$0.hasPrefix("page[number]=") }.map(String.init)
        items.append("page[number]=\(page)")
        if !items.contains(where: { $0.hasPrefix("page[size]=") || $0.hasPrefix("page%5Bsize%5D=") }) { items.append("page[size]=\(parameters.pageSize)") }
        return .string("\(base)?" + items.joined(separator: "&"))
    }

    /// The links object.
    var json: JSONValue {
        var links: [JSONMember] = [JSONMember("first", link(1))]
        if parameters.pageNumber > 1 { links.append(JSONMember("prev", link(min(parameters.pageNumber - 1, pages)))) }
        if parameters.pageNumber < pages { links.append(JSONMember("next", link(parameters.pageNumber + 1))) }
        links.append(JSONMember("last", link(pages)))
        return .object(links)
    }

    /// The `meta` (record and page counts) and `links` members of a list of `total` records at `base`.
    static func members(total: Int, parameters: ListParameters, base: String, query: String) -> [JSONMember] {
        let pages = max(1, (total + parameters.pageSize - 1) / parameters.pageSize)
        return [
            JSONMember("meta", .object([JSONMember("record_count", .int(Int64(total))), JSONMember("page_count", .int(Int64(pages)))])),
            JSONMember("links", PageLinks(base: base, query: query, parameters: parameters, pages: pages).json),
        ]
    }
}
