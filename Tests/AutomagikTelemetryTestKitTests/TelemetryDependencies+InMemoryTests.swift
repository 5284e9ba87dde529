import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryCore
import Testing

@Suite struct TelemetryDependenciesInMemoryTests {
    /// The README's testing snippet, verbatim: `readmeShowsThisTest` keeps the two identical.
    static let snippet = #"""
        import AutomagikTelemetry
        import AutomagikTelemetryTestKit

        let clock = ManualClock(), exporter = RecordingExporter()
        var configuration = TelemetryConfiguration(projectName: "t", version: "1")
        configuration.enabled = true
        // Manual clock, seeded randomness, no process environment, state in memory, the recording exporter.
        let telemetry = try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory(clock: clock, exporter: exporter))
        telemetry.trackEvent("x")
        await telemetry.flush()
        #expect(exporter.spans.map(\.name) == ["x"])
        """#

    @Test func theReadmeSnippetRuns() async throws {
        let clock = ManualClock(), exporter = RecordingExporter()
        var configuration = TelemetryConfiguration(projectName: "t", version: "1")
        configuration.enabled = true
        // Manual clock, seeded randomness, no process environment, state in memory, the recording exporter.
        let telemetry = try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory(clock: clock, exporter: exporter))
        telemetry.trackEvent("x")
        await telemetry.flush()
        #expect(exporter.spans.map(\.name) == ["x"])
    }

    @Test func readmeShowsThisTest() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + Self.snippet + "\n```"), "README.md's testing snippet differs from the tested one")
    }

    @Test func nothingComesFromTheProcessOrTheHomeDirectory() throws {
        let dependencies = TelemetryDependencies.inMemory(environment: ["AUTOMAGIK_TELEMETRY_ENABLED": "true"])
        #expect(dependencies.environment as? DictionaryEnvironment == DictionaryEnvironment(["AUTOMAGIK_TELEMETRY_ENABLED": "true"]))
        #expect(dependencies.stateStore is InMemoryStateStore, "never ~/.automagik")
        let store = InMemoryStateStore()
        let telemetry = try AutomagikTelemetry(
            configuration: TelemetryConfiguration(projectName: "t", version: "1"),
            dependencies: .inMemory(environment: ["AUTOMAGIK_TELEMETRY_ENABLED": "true"], stateStore: store)
        )
        #expect(telemetry.isEnabled, "the given environment is the one read")
        #expect(store.read(.anonymousID) != nil, "state goes to the given store")
    }
}
