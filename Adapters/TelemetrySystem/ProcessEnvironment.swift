#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore

/// The process environment, read live with `getenv` (so tests that `setenv` see their changes).
public struct ProcessEnvironment: EnvironmentReader {
    /// Creates the reader.
    public init() {}

    /// The process's value of `name`, or nil.
    public func value(for name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        return String(cString: pointer)
    }
}
