/// Turns records into the bytes of one format; a sink calls it batch by batch.
public protocol RecordEncoder: Sendable {
    /// What comes before the first record (given the first record, for formats that need it).
    mutating func prologue(firstRecord: Record?) -> [UInt8]
    /// Appends one record; `index` is its position in the whole output.
    mutating func encode(_ record: Record, index: Int, into writer: inout JSONWriter)
    /// What comes after the last record.
    func epilogue(count: Int) -> [UInt8]
    /// State to carry across a resume (CSV's columns).
    var state: [String] { get }
}
