import ArgumentParser
import FerryAPI
import FerryCore
import Foundation

/// `--server URL --token T`: run the command's job on a Ferry server instead of a local dataset.
struct RemoteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A Ferry server to run the job on (http://host:8080) instead of the local dataset.", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("The server's access token (default: $FERRY_TOKEN); 'ferry token' on the server issues one.", valueName: "jwt"))
    var token: String?

    /// A client, when a server was named. `mode` is the `--mode` given on the command line, if
    /// any: a server works on its token's mode, so a mode that disagrees with the token's is an
    /// error rather than quietly ignored.
    func client(mode: DatasetMode? = nil) throws -> FerryClient? {
        guard let server else { return nil }
        guard let token = token ?? ProcessInfo.processInfo.environment["FERRY_TOKEN"], !token.isEmpty else {
            throw ValidationError("--server needs --token (or FERRY_TOKEN)")
        }
        if let mode, let claims = TokenClaims(jwt: token), claims.mode != mode {
            throw CommandFailure(message: "--mode \(mode.rawValue) disagrees with the token, which is for the \(claims.mode.rawValue) dataset: "
                + "use a \(mode.rawValue) token (`ferry token --mode \(mode.rawValue)` on the server), or leave out --mode to use the token's")
        }
        return FerryClient(server: server, token: token)
    }

    /// Runs `body` with the client and always releases it afterwards.
    static func using<T>(_ client: FerryClient, _ body: (FerryClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Follows a job with a progress bar until it stops, then closes the client on failure.
    static func follow(_ job: FerryClient.Job, with client: FerryClient, label: String, quiet: Bool) async throws -> FerryClient.Job {
        let display = ProgressDisplay(quiet: quiet)
        let done = try await client.wait(for: job) { current in
            display.update(label, completed: current.processed, total: current.total ?? max(current.processed, 1))
        }
        display.finish()
        return done
    }
}
