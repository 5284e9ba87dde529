import TelemetryCore

/// A configuration the SDK refuses, reported when the client is created — never while tracking.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The setting at fault, named as in code (`batchSize`) or as the environment variable that set it.
    public let setting: String
    /// What is wrong and what would be accepted.
    public let problem: String

    /// Creates an error.
    public init(setting: String, problem: String) {
        self.setting = setting
        // Problems quote what was configured; a URL's `user:password@` must not reach a log or a crash report.
        self.problem = HumanText.withoutUserinfo(problem)
    }

    /// `invalid telemetry configuration: SETTING: PROBLEM`.
    public var description: String { "invalid telemetry configuration: \(setting): \(problem)" }
}
