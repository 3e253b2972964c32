extension JSONWriter {
    /// Writes a record value; timestamps as ISO 8601 strings, nested records as objects.
    public mutating func write(_ value: Value) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .int(let i): writeInt(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .timestamp(let t):
            bytes.append(34)
            t.appendISO8601(to: &bytes)
            bytes.append(34)
        case .json(let j): write(j)
        case .record(let r): write(r)
        case .records(let rs):
            writeArray(rs) { $0.write($1) }
        }
    }

    /// Writes a record as a JSON object, fields in order.
    public mutating func write(_ record: Record) {
        bytes.append(123)
        if let (keyBytes, ends) = keys.keys(of: record.names) {
            // Through buffer pointers: neither the keys nor the values are retained one by one.
            keyBytes.withUnsafeBufferPointer { keys in
                record.values.withUnsafeBufferPointer { values in
                    var start = 0
                    for i in 0..<ends.count {
                        if i > 0 { bytes.append(44) }
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: keys[start..<ends[i]]))
                        write(values[i])
                        start = ends[i]
                    }
                }
            }
        } else {
            var first = true
            for (name, value) in record.fields {
                if !first { bytes.append(44) }
                first = false
                writeString(name)
                bytes.append(58)
                write(value)
            }
        }
        bytes.append(125)
    }
}
