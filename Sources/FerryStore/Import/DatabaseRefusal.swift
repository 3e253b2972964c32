import Foundation
import GRDB

/// Why the database refused an input's row, worded for an errors log as Commerce Layer words
/// it — the attribute at fault and a message — without the database's own text, which names
/// tables and may carry SQL. A trigger's own message (`RAISE(ABORT, '…')`) is kept: it was
/// written for the people reading the log.
struct DatabaseRefusal {
    /// The attribute at fault, or `base`.
    let attribute: String
    /// The message.
    let message: String

    init(_ error: DatabaseError) {
        let text = error.message ?? ""
        func column(after prefix: String) -> String? {
            guard text.hasPrefix(prefix) else { return nil }
            let first = text.dropFirst(prefix.count).split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            return first.split(separator: ".").last.map(String.init)
        }
        if error.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER, !text.isEmpty {
            (attribute, message) = ("base", text)
        } else if let name = column(after: "UNIQUE constraint failed: ") {
            (attribute, message) = (name, "has already been taken")
        } else if let name = column(after: "NOT NULL constraint failed: ") {
            (attribute, message) = (name, "can't be blank")
        } else if error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            (attribute, message) = ("base", "refers to a record that does not exist")
        } else if error.resultCode == .SQLITE_CONSTRAINT {
            (attribute, message) = ("base", "is invalid")
        } else {
            (attribute, message) = ("base", "could not be written")
        }
    }
}
