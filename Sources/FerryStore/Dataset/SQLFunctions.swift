import FerryCore
import GRDB

/// SQL functions Ferry registers on every connection.
enum SQLFunctions {
    /// `ferry_jcont(document, pattern)`: the filter language's `jcont`, with the very code the
    /// in-memory evaluator runs, so both agree. Null when the document is null.
    static let jsonContains = DatabaseFunction("ferry_jcont", argumentCount: 2, pure: true) { arguments in
        guard let documentText = String.fromDatabaseValue(arguments[0]),
              let patternText = String.fromDatabaseValue(arguments[1])
        else { return nil }
        guard let document = try? JSONParser.parse(documentText), let pattern = try? JSONParser.parse(patternText) else {
            return false
        }
        return document.contains(pattern)
    }
}
