import FerryCore
import FerryStages
import FerryStore

/// What a job stopped by an error shows its client, worded for the client: never a server path,
/// a Swift type name or SQL text (the server's log keeps the error itself).
///
/// An import whose inputs cannot be read (a malformed file, damaged gzip, a format that is not
/// the inputs') ends `interrupted` with the problem in its `errors_log`, shaped as Commerce Layer
/// shapes it: `{"inputs": {"base": ["invalid csv at record 3, line 4: …"]}}`. Anything else
/// fails the job with `{"<kind>": "<message>"}`, the kind one of a few stable names.
enum JobErrorReport {
    /// The key the problem of an import's inputs is logged under.
    static let inputsKey = "inputs"

    /// The message for a problem of the inputs read from `paths` (the attachment), or nil when
    /// `error` is not one.
    static func inputProblem(_ error: any Error, hiding paths: [String]) -> String? {
        switch error {
        case FormatError.malformed(let format, let location, let message):
            return "invalid \(format) at \(clean(location, hiding: paths)): \(clean(message, hiding: paths))"
        case FormatError.corruptCompression(let message):
            return "invalid gzip data: \(clean(message, hiding: paths))"
        case FormatError.truncatedCompression:
            return String(describing: error)
        case let error as JSONParseError:
            return clean(error.description, hiding: paths)
        default:
            return nil
        }
    }

    /// The `errors_log` of a job that failed on `error`.
    static func failure(_ error: any Error, hiding paths: [String]) -> JSONValue {
        let (kind, message): (String, String) = switch error {
        case let problem where inputProblem(problem, hiding: paths) != nil:
            ("invalid_input", inputProblem(problem, hiding: paths)!)
        case FormatError.invalidOption(let message):
            ("invalid_option", clean(message, hiding: paths))
        case FormatError.io(_, let message):
            ("storage_error", "the job's file could not be read or written: \(clean(message, hiding: paths))")
        default:
            ("internal_error", "the job stopped on an internal error; the server log has the details")
        }
        return .object([JSONMember(kind, .string(message))])
    }

    /// `text` with each of `paths` taken out (`/data/…/inputs.csv.gz, record 3` → `record 3`).
    static func clean(_ text: String, hiding paths: [String]) -> String {
        var text = text
        for path in paths where !path.isEmpty {
            text = text.replacingOccurrences(of: path + ", ", with: "").replacingOccurrences(of: path, with: "the inputs")
        }
        return text
    }
}
