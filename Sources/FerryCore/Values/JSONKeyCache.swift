/// The encoded keys (`"name":`) of the records a writer sees again and again.
///
/// Records read from one table share one array of field names (a ``RecordLayout`` makes them
/// so), and an export writes millions of them: escaping the same dozen names for every record
/// costs about as much as writing the values. The cache recognises a names array by its storage
/// — the same buffer, not merely equal names — and keeps the bytes of its keys. A buffer is
/// cached the second time in a row it is missed, so records whose names are each their own array
/// (read from a file, say) never push out the ones that repeat.
struct JSONKeyCache: Sendable {
    private struct Entry: Sendable {
        /// Held so that the buffer, and so its address, stays the same while cached.
        var names: [String]
        var address: UInt
        /// The keys' bytes, one after the other, and where each ends.
        var bytes: [UInt8]
        var ends: [Int]
    }

    /// Names arrays kept at most: a nested export writes a handful of types.
    static let capacity = 8
    private var entries: [Entry] = []
    private var next = 0
    private var lastMiss: UInt?

    /// The keys of `names`, one after the other, and where each ends; nil when they are not
    /// cached (the caller writes them itself).
    mutating func keys(of names: [String]) -> (bytes: [UInt8], ends: [Int])? {
        guard !names.isEmpty else { return nil }
        let address = Self.address(of: names)
        if let entry = entries.first(where: { $0.address == address }) { return (entry.bytes, entry.ends) }
        guard lastMiss == address else {
            lastMiss = address
            return nil
        }
        lastMiss = nil
        let entry = Self.entry(names, address: address)
        if entries.count < Self.capacity {
            entries.append(entry)
        } else {
            entries[next] = entry
            next = (next + 1) % Self.capacity
        }
        return (entry.bytes, entry.ends)
    }

    private static func entry(_ names: [String], address: UInt) -> Entry {
        var writer = JSONWriter(capacity: names.count * 16)
        var ends: [Int] = []
        for name in names {
            writer.writeString(name)
            writer.bytes.append(58)
            ends.append(writer.bytes.count)
        }
        return Entry(names: names, address: address, bytes: writer.bytes, ends: ends)
    }

    private static func address(of names: [String]) -> UInt {
        names.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }
}
