import Foundation

/// Where the CLI writes: standard output and standard error, or a buffer in tests.
protocol CommandOutput: Sendable {
    func print(_ line: String)
    func error(_ line: String)
}

struct StandardStreams: CommandOutput {
    func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A usage mistake: printed with the usage text, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
