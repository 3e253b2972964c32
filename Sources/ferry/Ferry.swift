import ArgumentParser
import FerryCore
import Foundation

/// The `ferry` command: exports, imports, duplicates and pipelines over commerce datasets.
@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Move commerce datasets in batches: seed, export, import, duplicate test ↔ live.",
        discussion: """
            Each installation keeps two datasets, one per mode (test and live), as SQLite files in a data \
            directory: --data-dir, else $FERRY_DATA_DIR, else ./.ferry. Only 'ferry seed', 'ferry import' and \
            'ferry duplicate' (its target) create a dataset; every other command refuses a missing one.

            Exit codes: 0 done; 1 the work failed (a record refused, a type that did not verify, a server \
            or file error); 64 usage error (an unknown subcommand, option or value); 78 invalid \
            configuration (a pipeline file 'ferry validate' or 'ferry run' refuses).
            """,
        version: "0.1.0",
        subcommands: [SeedCommand.self, ExportCommand.self, ImportCommand.self, DuplicateCommand.self, RunCommand.self, ValidateCommand.self, StagesCommand.self, CountsCommand.self, ServeCommand.self, TokenCommand.self, ScheduleCommand.self, RunsCommand.self, JobsCommand.self, CompletionCommand.self]
    )

    /// Parses and runs the command; every error a command throws is turned into plain words here
    /// (``CommandFailure/plain(_:)``), and an unknown subcommand gets a suggestion.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-") {
            let names = configuration.subcommands.map { $0._commandName } + ["help"]
            if !names.contains(first) {
                exit(withError: ValidationError("unknown subcommand '\(first)'\(Suggestion.phrase(for: first, in: names)); run 'ferry --help' for the list"))
            }
        }
        // --help, -h and `help`, answered here: argument-parser's own answer is lost on the way
        // (it printed the internal CommandError).
        if arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help" {
            var type: any ParsableCommand.Type = Ferry.self
            for argument in arguments.drop(while: { $0 == "help" }) {
                guard let sub = type.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
                type = sub
            }
            print(Ferry.helpMessage(for: type))
            Foundation.exit(0)
        }
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let error as ValidationError {
            exit(withError: error)
        } catch {
            exit(withError: CommandFailure(error))
        }
    }
}
