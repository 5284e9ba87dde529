/// Port: read-only access to configuration variables. Adapter: `ProcessEnvironment` (TelemetrySystem);
/// tests pass a dictionary (`DictionaryEnvironment`).
public protocol EnvironmentReader: Sendable {
    /// The value of variable `name`, or nil when unset.
    func value(for name: String) -> String?
}

/// An environment backed by a dictionary: for tests and for configuration built in code.
public struct DictionaryEnvironment: EnvironmentReader, Hashable {
    /// Every variable this environment holds.
    public var variables: [String: String]

    /// Creates an environment holding `variables`.
    public init(_ variables: [String: String] = [:]) { self.variables = variables }

    /// `variables[name]`.
    public func value(for name: String) -> String? { variables[name] }
}
