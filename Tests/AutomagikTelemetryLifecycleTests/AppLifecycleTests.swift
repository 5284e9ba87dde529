import AutomagikTelemetry
import AutomagikTelemetryLifecycle
import AutomagikTelemetryTestKit
import Foundation
import TelemetrySystem
import Testing

/// The README's "Apple platforms" examples, verbatim, run here (the import line is this file's own).
@Suite struct AppLifecycleTests {
    static let snippets = [
        """
        import AutomagikTelemetryLifecycle

        let lifecycle = AppLifecycle.install(for: telemetry)  // keep it as long as the client; nil on Linux
        """,
        """
        let dependencies = TelemetryDependencies(stateStore: FileStateStore.forCurrentUser(appGroup: "group.com.example.shared"))
        """,
    ]

    @Test func readmeShowsTheseExamples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for code in Self.snippets {
            #expect(readme.contains("```swift\n" + code + "\n```"), "README.md's example differs from the one run here")
        }
    }

    @Test func installingOutsideAnAppIsHarmless() throws {
        var configuration = TelemetryConfiguration(projectName: "app", version: "1.0.0")
        configuration.enabled = true
        let telemetry = try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory())
        let lifecycle = AppLifecycle.install(for: telemetry)  // keep it as long as the client; nil on Linux
        #if os(Linux)
        #expect(lifecycle == nil)
        #endif
        _ = lifecycle
    }

    @Test func theAppGroupStoreIsTheHomeLayoutOutsideApplePlatforms() {
        let dependencies = TelemetryDependencies(stateStore: FileStateStore.forCurrentUser(appGroup: "group.com.example.shared"))
        #if os(Linux)
        let store = dependencies.stateStore as? FileStateStore
        #expect(store?.stateDirectory.hasSuffix("/.automagik") == true)
        #endif
    }
}
