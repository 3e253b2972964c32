import ArgumentParser

/// `ferry completion bash|zsh|fish`: prints the shell completion script argument-parser generates.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script (bash, zsh or fish).",
        discussion: """
            Install it once, for example:
              bash: ferry completion bash > ~/.local/share/bash-completion/completions/ferry
              zsh:  ferry completion zsh > "${fpath[1]}/_ferry"   (then restart the shell)
              fish: ferry completion fish > ~/.config/fish/completions/ferry.fish
            """
    )

    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw ValidationError("unknown shell '\(shell)'\(Suggestion.phrase(for: shell, in: ["bash", "zsh", "fish"])); give bash, zsh or fish")
        }
        print(Ferry.completionScript(for: kind))
    }
}
