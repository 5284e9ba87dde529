import AutomagikTelemetry
import Foundation
import TelemetryCore
import TelemetryMetrics
import Testing
import TelemetryPrivacy

/// Used by the README's quick start, which shows reporting a thrown error.
private func importContacts() throws {}

/// The README's Swift examples, verbatim: each runs here, and `readmeShowsTheseExamples` fails when the
/// README's text and these differ (the test kit's snippet has its own test). The swift-log/swift-metrics
/// bridges and the `Package.swift` lines need packages this one does not depend on and are not run.
/// (Built with `MemberImportVisibility`, as this package is, the examples also import `TelemetryCore` and
/// `TelemetryMetrics`, whose types the client's API uses.)
@Suite struct ReadmeSnippetsTests {
    static let snippets: [String: String] = [
        "quickStart": #"""
        import AutomagikTelemetry

        let telemetry = try AutomagikTelemetry(configuration: .init(projectName: "my-app", version: "1.2.0"))

        telemetry.trackEvent(StandardEvents.featureUsed, attributes: ["feature": "export_csv", "rows": 1_204])
        telemetry.trackMetric("import.duration", value: 812, type: .histogram, unit: "ms")
        telemetry.trackLog("cache warmed", severity: .info, attributes: ["entries": 512])  // with logsEnabled (their own opt-in)
        do { try importContacts() } catch { telemetry.trackError(error, attributes: ["operation": "import"]) }

        await telemetry.shutdown()  // sends what it can within 30 ms; the rest waits on disk for the next run
        """#,
        "configuration": #"""
        let key = "your-collector-api-key", fleetSalt = "one-secret-for-the-whole-fleet"
        var configuration = TelemetryConfiguration(projectName: "my-app", version: "1.2.0")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://collector.example.com", headers: ["x-api-key": key]))
        configuration.batching.flushInterval = .seconds(10)
        configuration.privacy.salt = fleetSalt  // same pseudonyms on every machine of the fleet
        configuration.spool.directory = "/var/lib/my-app/telemetry"
        let telemetry = try AutomagikTelemetry(configuration: configuration)
        """#,
        "sanitizer": #"""
        let salt = "a-secret-of-your-own"  // the pseudonyms' key
        let sanitizer = PrivacySanitizer(policy: .default, salt: Array(salt.utf8))
        var counts = RedactionCounts()
        let clean = sanitizer.sanitize(text: "login failed for jane@example.com from 10.0.0.7", counts: &counts)
        // "login failed for <redacted:email> from <redacted:ip>"
        """#,
        "clickhouse": #"""
        let secret = "the-telemetry-users-password"
        var configuration = TelemetryConfiguration(projectName: "my-app", version: "1.2.0")
        configuration.backend = .clickhouse(ClickHouseSettings(endpoint: "http://localhost:8123", username: "telemetry", password: secret))
        let telemetry = try AutomagikTelemetry(configuration: configuration)
        """#,
    ]

    @Test func readmeShowsTheseExamples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for (name, code) in Self.snippets {
            #expect(readme.contains("```swift\n" + code + "\n```"), "README.md's \(name) example differs from the one run here")
        }
    }

    @Test func quickStart() async throws {
        let telemetry = try AutomagikTelemetry(configuration: .init(projectName: "my-app", version: "1.2.0"))

        telemetry.trackEvent(StandardEvents.featureUsed, attributes: ["feature": "export_csv", "rows": 1_204])
        telemetry.trackMetric("import.duration", value: 812, type: .histogram, unit: "ms")
        telemetry.trackLog("cache warmed", severity: .info, attributes: ["entries": 512])  // with logsEnabled (their own opt-in)
        do { try importContacts() } catch { telemetry.trackError(error, attributes: ["operation": "import"]) }

        await telemetry.shutdown()  // sends what it can within 30 ms; the rest waits on disk for the next run
    }

    @Test func configuration() throws {
        let key = "your-collector-api-key", fleetSalt = "one-secret-for-the-whole-fleet"
        var configuration = TelemetryConfiguration(projectName: "my-app", version: "1.2.0")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://collector.example.com", headers: ["x-api-key": key]))
        configuration.batching.flushInterval = .seconds(10)
        configuration.privacy.salt = fleetSalt  // same pseudonyms on every machine of the fleet
        configuration.spool.directory = "/var/lib/my-app/telemetry"
        let telemetry = try AutomagikTelemetry(configuration: configuration)
        _ = telemetry
    }

    @Test func sanitizer() {
        let salt = "a-secret-of-your-own"  // the pseudonyms' key
        let sanitizer = PrivacySanitizer(policy: .default, salt: Array(salt.utf8))
        var counts = RedactionCounts()
        let clean = sanitizer.sanitize(text: "login failed for jane@example.com from 10.0.0.7", counts: &counts)
        // "login failed for <redacted:email> from <redacted:ip>"
        #expect(clean == "login failed for <redacted:email> from <redacted:ip>")
        #expect(counts.counts[.email] == 1)
    }

    @Test func clickhouse() throws {
        let secret = "the-telemetry-users-password"
        var configuration = TelemetryConfiguration(projectName: "my-app", version: "1.2.0")
        configuration.backend = .clickhouse(ClickHouseSettings(endpoint: "http://localhost:8123", username: "telemetry", password: secret))
        let telemetry = try AutomagikTelemetry(configuration: configuration)
        _ = telemetry
    }
}
