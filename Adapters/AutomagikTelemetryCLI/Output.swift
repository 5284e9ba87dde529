import Foundation
import TelemetryCore

/// Where the CLI writes: standard output and standard error, or a buffer in tests.
protocol CommandOutput: Sendable {
    func print(_ line: String)
    func error(_ line: String)
}

/// The terminal: every line leaves through `HumanText`, so nothing a server, a file or the environment
/// put into it (schema names, error bodies, endpoints) can steer the terminal, reorder the line or show
/// a URL's credentials. Configured secrets and privacy rules are applied before, by `SecretScrubber`.
struct StandardStreams: CommandOutput {
    func print(_ line: String) {
        FileHandle.standardOutput.write(Data((Self.safe(line) + "\n").utf8))
    }

    func error(_ line: String) {
        FileHandle.standardError.write(Data((Self.safe(line) + "\n").utf8))
    }

    static func safe(_ line: String) -> String {
        HumanText.printable(HumanText.withoutUserinfo(line), keepLineFeeds: true)
    }
}

/// A usage mistake: printed with the usage text, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
