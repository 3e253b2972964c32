/// A failure a command reports as `Error: <message>` with exit code 1, without the usage text
/// that argument-parsing errors get.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = String(describing: error)
    }

    init(message: String) {
        description = message
    }
}
