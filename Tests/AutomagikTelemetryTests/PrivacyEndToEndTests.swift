import AutomagikTelemetry
import AutomagikTelemetryTestKit
import TelemetryCore
import TelemetryGzip
import TelemetryMetrics
import TelemetryOTLP
import Testing

/// Drives the client with personal data in every signal and searches the exported bytes
/// (decompressed, both encodings) for any raw secret.
@Suite struct PrivacyEndToEndTests {
    let harness = Harness()

    static let secrets = [
        "jane.doe", "corp-mail.net", "4111111111111111", "4111 1111", "hunter2", "sk_live_51HxAbCdEfGh12345678",
        "AKIAIOSFODNN7EXAMPLE", "203.0.113.195", "555 2671", "/home/janedoe", "janedoe", "eyJzdWIiOiJqYW5lIn0",
        "user-8812", "private words", "s3cr3tpass", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    ]

    @Test(arguments: [OTLPHTTPExporter.Encoding.json, .protobuf])
    func noRawSecretLeavesTheProcess(encoding: OTLPHTTPExporter.Encoding) async throws {
        let http = RecordingHTTPClient()
        var configuration = TelemetryConfiguration.test("privacy")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://collector.example.com", encoding: encoding))
        configuration.exporter.compressionThreshold = 1
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: harness.clock, random: harness.random,
                environment: DictionaryEnvironment(["OTEL_RESOURCE_ATTRIBUTES": "owner.email=jane.doe@corp-mail.net,team=core"]),
                stateStore: harness.store, host: Harness.host, httpClient: http
            )
        )
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
        telemetry.trackEvent(
            "signup for jane.doe@corp-mail.net",
            attributes: [
                "user_id": "user-8812", "email": "jane.doe@corp-mail.net", "card": "4111 1111 1111 1111",
                "note": "paid 4111111111111111 from 203.0.113.195, call +1 415 555 2671", "password": "hunter2",
                "path": "/home/janedoe/app", "tags": ["ok", "jane.doe@corp-mail.net", ["AKIAIOSFODNN7EXAMPLE"]],
                "message": "private words", "auth_header": "Bearer \(jwt)", "total_tokens": 1532,
            ])
        telemetry.trackError(
            type: "LoginError", message: "login failed for jane.doe@corp-mail.net with password=s3cr3tpass",
            attributes: ["client_ip": "203.0.113.195"],
            stackTrace: "0 LoginView.submit() at /home/janedoe/src/Login.swift:12\n1 key sk_live_51HxAbCdEfGh12345678"
        )
        telemetry.trackMetric(
            "logins", value: 1, type: .counter,
            attributes: [
                "user.id": "user-8812", "origin": "203.0.113.195", "token": "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            ])
        telemetry.trackLog(
            "card 4111-1111-1111-1111 declined for jane.doe@corp-mail.net (\(jwt))", severity: .warn,
            attributes: [
                "api_key": "AKIAIOSFODNN7EXAMPLE", "prompt": "private words",
            ])
        let report = await telemetry.flush()
        #expect(report.exported == 4)

        var everything: [UInt8] = []
        for request in http.requests {
            everything += request.header("Content-Encoding") == "gzip" ? try GzipDecompressor.decompress(request.body) : request.body
        }
        let text = String(decoding: everything, as: UTF8.self)
        #expect(http.requests.count == 3)
        for secret in Self.secrets {
            #expect(!text.contains(secret), "\(secret) left the process")
        }
        #expect(text.contains("total_tokens"), "useful data survives")
        #expect(text.contains("<redacted:email>"), "removed by default, as the seed's privacy table says")
        #expect(text.contains("<redacted:card>"))
        #expect(text.contains("team"))

        let redactions = telemetry.stats.redactions
        for rule: PrivacyRule in [
            .secretKey, .messageContent, .email, .creditCard, .ipAddress, .phoneNumber, .userIdentifier, .homeDirectory,
            .secretValue,
        ] {
            #expect((redactions[rule] ?? 0) > 0, "\(rule) never fired")
        }
    }

    @Test func pseudonymsAreStableAcrossEventsAndUseTheSavedSalt() async throws {
        let telemetry = try harness.client()
        telemetry.trackEvent("a", attributes: ["user_id": "user-8812"])
        telemetry.trackEvent("b", attributes: ["userId": "user-8812"])
        await telemetry.flush()
        let values = harness.exporter.spans.compactMap { $0.attributes["user_id"] ?? $0.attributes["userId"] }
        #expect(values.count == 2 && values[0] == values[1])
        #expect(values[0] != "user-8812")
        let salt = try #require(harness.store.values[.hashSalt])
        #expect(salt.count == 64)
    }

    @Test func aConfiguredSaltIsUsedAndNothingIsSaved() async throws {
        let telemetry = try harness.client { $0.privacy.salt = "fleet-wide-secret" }
        telemetry.trackEvent("a", attributes: ["user_id": "user-8812"])
        await telemetry.flush()
        #expect(harness.store.values[.hashSalt] == nil)
        let expected = AttributeValue.string(TelemetryPrivacyTestSupport.pseudonym("user-8812", salt: "fleet-wide-secret"))
        #expect(harness.exporter.spans.first?.attributes["user_id"] == expected)
    }
}

import TelemetryPrivacy

enum TelemetryPrivacyTestSupport {
    static func pseudonym(_ value: String, salt: String) -> String {
        SaltedHasher(salt: Array(salt.utf8)).pseudonym(value)
    }
}
