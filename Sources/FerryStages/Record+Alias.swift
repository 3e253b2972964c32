import FerryCore

/// Inside the stages `Record` means Ferry's record, not GRDB's base class of the same name.
public typealias Record = FerryCore.Record
