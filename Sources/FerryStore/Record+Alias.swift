import FerryCore

/// Inside the store `Record` means Ferry's record, not GRDB's base class of the same name.
public typealias Record = FerryCore.Record
