import FerryCore

/// The `exec` plugin: a stage of any kind (source, transform or sink) played by an external
/// program over the JSON-lines protocol of `docs/exec-protocol.md`, so a custom stage can be
/// written in any language.
public enum ExecPlugin {
    static let options = [
        StageOption("command", .stringList, required: true, help: "The program and its arguments."),
        StageOption("options", .object, help: "Passed to the program in its hello line."),
        StageOption("timeout", .integer, default: "30", help: "Seconds the program may take to answer a line."),
    ]

    /// Registers `exec` as a source, a transform and a sink.
    static func settings(_ options: StageOptions) throws(StageConfigurationError) -> ([String], JSONValue, Duration) {
        var command = options.strings("command") ?? []
        if case .string(let line)? = options.values["command"] { command = line.split(separator: " ").map(String.init) }
        guard !command.isEmpty else { throw options.error("command", "must name a program") }
        let timeout = options.int("timeout") ?? 30
        guard timeout > 0 else { throw options.error("timeout", "must be at least 1 second") }
        return (command, options.object("options") ?? .object([]), .seconds(timeout))
    }

    public static func register(into registry: StageRegistry) throws {
        try registry.register(StageDescriptor(name: "exec", kind: .sink, summary: "Hands records to an external program (JSON lines).", options: options) { options, context in
            let (command, extra, timeout) = try settings(options)
            return .sink(ExecSink(command: command, options: extra, resourceType: context.resourceType?.name, timeout: timeout))
        })
        try registry.register(StageDescriptor(name: "exec", kind: .transform, summary: "Reshapes records in an external program (JSON lines).", options: options) { options, context in
            let (command, extra, timeout) = try settings(options)
            return .transform(ExecTransform(command: command, options: extra, resourceType: context.resourceType?.name, timeout: timeout))
        })
        try registry.register(StageDescriptor(name: "exec", kind: .source, summary: "Records produced by an external program (JSON lines).", options: options) { options, _ in
            let (command, extra, timeout) = try settings(options)
            return .source(ExecSource(command: command, options: extra, timeout: timeout, resourceType: nil))
        })
    }
}
