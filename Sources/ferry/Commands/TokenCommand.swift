import ArgumentParser
import FerryAPI
import FerryCore
import Foundation

/// `ferry token`: issues an access token signed with the server secret.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print an access token (a JWT, alone on the last line) for the API.",
        discussion: """
            Examples:
              ferry token --mode test
              TOKEN=$(ferry token --mode live --kind sales_channel --market EU --ttl 15m | tail -1)
            The token is signed with the server secret: $FERRY_SECRET, else the data directory's 'secret' \
            file (generated on first use).
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The dataset the token gives access to.")
    var mode: DatasetMode

    @Option(help: "integration (everything of its mode) or sales_channel (its markets only).")
    var kind = "integration"

    @Option(name: .customLong("market"), help: ArgumentHelp("A market code the token is scoped to (repeatable).", valueName: "code"))
    var markets: [String] = []

    @Option(help: ArgumentHelp("How long the token is valid: 90s, 15m, 2h, 7d.", valueName: "duration"))
    var ttl = "2h"

    @Option(help: "Who the token is for; recorded on the jobs it creates.")
    var subject = "ferry-cli"

    func run() async throws {
        guard let kind = AccessToken.Kind(rawValue: kind) else { throw ValidationError("--kind must be integration or sales_channel, not '\(self.kind)'") }
        guard let lifetime = TokenAuthority.lifetime(ttl) else { throw ValidationError("--ttl must be a duration such as 90s, 15m, 2h or 7d, not '\(ttl)'") }
        if kind == .salesChannel, markets.isEmpty { throw ValidationError("a sales_channel token needs --market CODE") }
        let secret: ServerSecret
        do {
            secret = try ServerSecret.load(directory: data.directory)
        } catch {
            throw CommandFailure(error)
        }
        let scope = markets.isEmpty ? nil : markets.map { "market:code:\($0)" }.joined(separator: " ")
        let token = AccessToken(subject: subject, mode: mode, kind: kind, scope: scope, ttl: lifetime)
        let jwt = try await TokenAuthority(secret: secret).issue(token)
        let expiry = Timestamp(date: token.exp.value).iso8601
        print("\(mode.rawValue) \(kind.rawValue) token\(scope.map { " scoped to \($0)" } ?? ""), valid until \(expiry):")
        print(jwt)
    }
}
