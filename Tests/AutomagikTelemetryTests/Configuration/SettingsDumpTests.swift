import AutomagikTelemetry
import TelemetryClickHouse
import TelemetryCore
import TelemetryOTLP
import Testing

/// Review #22 (low): `dump()` and `Mirror` of the settings types printed the password, header values,
/// signing key and salt (their `description` was redacted; reflection was not).
@Suite struct SettingsDumpTests {
    static let secret = "s3cr3t-VALUE-42"

    /// Every way Swift turns a value into text for a human: print, debugPrint, dump, Mirror.
    static func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        let children = Mirror(reflecting: value).children.map { String(describing: $0.value) }.joined(separator: " ")
        return [String(describing: value), String(reflecting: value), dumped, children]
    }

    static let values: [any Sendable] = [
        ClickHouseSettings(password: secret),
        OTLPSettings(headers: ["Authorization": secret]),
        ExporterSettings(signingKey: secret),
        PrivacySettings(salt: secret),
        ClickHouseExporter.Configuration(password: secret),
        {
            var configuration = OTLPHTTPExporter.Configuration(
                tracesURL: "https://c/v1/traces", metricsURL: "https://c/v1/metrics", logsURL: "https://c/v1/logs",
                headers: [HTTPHeader("Authorization", secret)])
            configuration.signalHeaders = [.logs: [HTTPHeader("X-Token", secret)]]
            return configuration
        }(),
        {
            var configuration = TelemetryConfiguration(projectName: "p", version: "1")
            configuration.backend = .otlp(OTLPSettings(headers: ["X-Key": secret]))
            configuration.privacy.salt = secret
            configuration.exporter.signingKey = secret
            return configuration
        }(),
    ]

    @Test func noRenderingOfAnySettingsTypeShowsASecret() {
        for value in Self.values {
            for text in Self.renderings(value) {
                #expect(!text.contains(Self.secret), "\(type(of: value)): \(text)")
            }
        }
    }

    @Test func headerNamesAndPropertyNamesAreStillShown() {
        let text = String(describing: OTLPSettings(headers: ["Authorization": Self.secret]))
        #expect(text.contains("headers: [Authorization: <redacted>]"), "\(text)")
        #expect(String(describing: ClickHouseSettings(password: Self.secret)).contains("password: <redacted>"))
        #expect(OTLPSettings(headers: ["A": Self.secret]).headers == ["A": Self.secret], "the value itself is intact")
    }
}
