import AutomagikTelemetry
import Foundation
import Testing
import TelemetryCore

/// The README's configuration and conformance tables and the code must name the same environment
/// variables: a variable the code reads but the README does not list (or the reverse) fails here.
@Suite struct ConfigurationDocumentationTests {
    /// Remembers every variable name asked for.
    final class RecordingEnvironment: EnvironmentReader {
        let names = LockedBox<Set<String>>([])
        var asked: Set<String> { names.withLock { $0 } }
        func value(for name: String) -> String? {
            names.withLock { _ = $0.insert(name) }
            return nil
        }
    }

    private static func readme() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// Variables the code reads while resolving a configuration for every backend, and while deciding consent.
    private static func variablesTheCodeReads() throws -> Set<String> {
        let environment = RecordingEnvironment()
        for backend in [TelemetryBackend.otlp, .clickhouse, .console] {
            _ = try ResolvedConfiguration(TelemetryConfiguration(projectName: "p", version: "1", backend: backend), environment: environment)
        }
        var unnamed = TelemetryConfiguration(projectName: nil, version: "1")
        unnamed.projectName = "p"
        _ = try ResolvedConfiguration(unnamed, environment: environment)
        return environment.asked
    }

    @Test func everyVariableTheCodeReadsIsDocumented() throws {
        let readme = try Self.readme()
        // Per-signal variables may be documented once, as `…_{TRACES,METRICS,LOGS}_…`.
        let undocumented = try Self.variablesTheCodeReads().filter { variable in
            if readme.contains("`\(variable)`") { return false }
            for signal in ["TRACES", "METRICS", "LOGS"] where variable.contains(signal) {
                if readme.contains(variable.replacingOccurrences(of: signal, with: "{TRACES,METRICS,LOGS}")) { return false }
            }
            return true
        }
        #expect(undocumented.isEmpty, "read by the code but missing from README.md: \(undocumented.sorted())")
    }

    @Test func everyDocumentedSDKVariableIsRead() throws {
        let readme = try Self.readme()
        let read = try Self.variablesTheCodeReads()
        // The configuration table's own variables (AUTOMAGIK_TELEMETRY_*), written out whole.
        let pattern = try NSRegularExpression(pattern: "`(AUTOMAGIK_TELEMETRY_[A-Z_]+)`")
        let documented = Set(pattern.matches(in: readme, range: NSRange(readme.startIndex..., in: readme)).compactMap {
            Range($0.range(at: 1), in: readme).map { String(readme[$0]) }
        })
        // Read elsewhere: consent (ENABLED) and the CLI's own.
        let elsewhere: Set<String> = ["AUTOMAGIK_TELEMETRY_ENABLED"]
        let unread = documented.subtracting(read).subtracting(elsewhere).filter { !$0.hasSuffix("_") }
        #expect(unread.isEmpty, "documented in README.md but never read: \(unread.sorted())")
    }
}
