@testable import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore

@Suite struct SecretScrubberTests {
    @Test func configuredSecretsVanishWhereverTheyAppear() {
        let scrubber = SecretScrubber(secrets: ["tok-31415926535", "hunter2hunter2"])
        let text = scrubber.scrub("HTTP 500: echo {\"h\":\"tok-31415926535\"} pw=hunter2hunter2!")
        #expect(!text.contains("tok-31415926535"))
        #expect(!text.contains("hunter2hunter2"))
        #expect(text.contains("HTTP 500"))
    }

    @Test(arguments: [
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "authorization: Basic ZGVmYXVsdDpzM2NyZXQ=",
        "X-ClickHouse-Key: s3cr3t-value",
        "Cookie: session=abcdef0123456789",
        "x-api-key = 9f86d081884c7d659a2f",
        "Proxy-Authorization: Digest username=u, response=6629fae49393a05397450978507c4ef1",
    ])
    func echoedCredentialHeadersLoseTheirValues(line: String) {
        let scrubber = SecretScrubber(secrets: [])
        let text = scrubber.scrub("POST /v1/traces HTTP/1.1\nHost: collector\n\(line)\nContent-Length: 12")
        let value = line.split(separator: line.contains(":") ? ":" : "=", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        #expect(!text.contains(value), "\(text)")
        #expect(text.contains("Host: collector"))
    }

    @Test func aClickHouseConfigurationYieldsItsPasswordAndBasicCredential() throws {
        var settings = ClickHouseSettings(username: "writer", password: "correct-horse")
        settings.endpoint = "http://127.0.0.1:8123"
        var configuration = TelemetryConfiguration(projectName: "p", version: "1")
        configuration.backend = .clickhouse(settings)
        let resolved = try ResolvedConfiguration(configuration, environment: DictionaryEnvironment())
        let basic = Data("writer:correct-horse".utf8).base64EncodedString()
        let text = SecretScrubber(configuration: resolved).scrub("got \(basic) and correct-horse")
        #expect(!text.contains(basic) && !text.contains("correct-horse"))
    }

    @Test func anOTLPConfigurationYieldsEveryHeaderValueAndTheSalt() throws {
        var configuration = TelemetryConfiguration(projectName: "p", version: "1")
        configuration.backend = .otlp(OTLPSettings(headers: ["X-Token": "abc-123-xyz"]))
        configuration.privacy.salt = "salt-987-zyx"
        let resolved = try ResolvedConfiguration(
            configuration, environment: DictionaryEnvironment(["OTEL_EXPORTER_OTLP_HEADERS": "x-operator=op-456-qrs"])
        )
        let text = SecretScrubber(configuration: resolved).scrub("abc-123-xyz, salt-987-zyx")
        #expect(!text.contains("abc-123-xyz") && !text.contains("salt-987-zyx"))
        // The environment's headers go nowhere here (the code chose no endpoint, so they apply) and are scrubbed too.
        #expect(!SecretScrubber(configuration: resolved).scrub("op-456-qrs").contains("op-456-qrs"))
    }

    @Test func controlCharactersAndLengthAreBounded() {
        let text = SecretScrubber(secrets: [], limit: 50).scrub("\u{1B}[2Jcleared\u{7}" + String(repeating: "x", count: 10_000))
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(text.count <= 51)
    }

    /// Review #22, finding 5: the OTLP error snippet dropped `+ = $ ^ | ~ < >` before the scrubber looked
    /// for the configured secrets, so an echoed base64 token came out as `Zq9Xw2Lm4Pt7`.
    @Test func echoedBase64SecretsAreFoundInTheRawServerText() async throws {
        let token = "Zq9+Xw2=Lm4+Pt7|~$^<>`"
        let http = RecordingHTTPClient()
        http.script([.success(HTTPResponse(status: 400, headers: [:], body: Array("bad token \(token) rejected".utf8)))])
        var configuration = TelemetryConfiguration.test("echo")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://collector.example.com", headers: ["Authorization": token]))
        let telemetry = try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory(exporter: nil, httpClient: http))
        telemetry.trackEvent("e")
        _ = await telemetry.flush()
        let failure = try #require(telemetry.stats.lastFailure)
        #expect(failure.contains("HTTP 400"))
        #expect(!failure.contains("Zq9"), "\(failure)")
        #expect(!telemetry.status.description.contains("Zq9"))
    }

    @Test func aSecretCutInHalfByTheSnippetStillGoes() {
        let scrubber = SecretScrubber(secrets: ["tok-31415926535"])
        #expect(scrubber.scrub("echo: tok-31415") == "echo: <redacted>")
        #expect(scrubber.scrub("echo: tok") == "echo: tok", "three characters are not evidence")
    }

    /// Review #22 (low): the header-line scrub looked at each name's first occurrence only.
    @Test func everyOccurrenceOfACredentialHeaderNameIsLookedAt() {
        let text = SecretScrubber(secrets: []).scrub("authorization required; Authorization: Bearer abc123def456")
        #expect(!text.contains("abc123def456"), "\(text)")
    }

    /// Review #22, finding 4: URL userinfo reached `status` and error messages.
    @Test func urlUserinfoIsRemoved() {
        let text = SecretScrubber(secrets: []).scrub("POST https://writer:s3cr3t@collector.example.com/v1/traces failed")
        #expect(!text.contains("s3cr3t") && !text.contains("writer"))
        #expect(text.contains("collector.example.com"))
    }

    /// Review #22 (low): bidi controls and terminal escapes survived.
    @Test(arguments: ["\u{202E}", "\u{2066}", "\u{200D}", "\u{1B}[31m", "\u{9B}", "\u{2028}", "\r"])
    func charactersThatSteerATerminalOrReorderTextGo(character: String) {
        let text = SecretScrubber(secrets: []).scrub("table\(character)name")
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
        #expect(!text.contains(character))
    }
}
