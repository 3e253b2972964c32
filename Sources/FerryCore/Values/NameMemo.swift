/// What each name of the previous record meant, by position, to look up the names of the next.
///
/// Records of one export or import mostly list the same names in the same order. Comparing a
/// name with the one at its position the time before is cheaper than hashing it for a dictionary
/// lookup, and cheapest when both are the same string (as `JSONParser.parse(_:names:)` makes
/// them): only a name that differs is looked up, and then remembered.
///
/// Its code is inlinable so that each use is specialised for its `Meaning`: called for every
/// field of every record, the unspecialised generic code was itself a measurable cost.
public struct NameMemo<Meaning> {
    @usableFromInline var names: [String] = []
    @usableFromInline var meanings: [Meaning] = []

    /// An empty memo.
    @inlinable public init() {}

    /// What `name`, at `position` in its record, means: remembered from the previous record when
    /// it had the same name there, else `lookUp(name)`.
    @inlinable public mutating func meaning(of name: String, at position: Int, lookUp: (String) -> Meaning) -> Meaning {
        if position < names.count, names[position] == name { return meanings[position] }
        let meaning = lookUp(name)
        if position < names.count {
            names[position] = name
            meanings[position] = meaning
        } else if position == names.count {
            names.append(name)
            meanings.append(meaning)
        }
        return meaning
    }
}
