@testable import AutomagikTelemetry
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
        let configuration = try ResolvedConfiguration(
            TelemetryConfiguration(projectName: "p", version: "1", backend: .clickhouse, clickhouse: settings, headers: ["X-Token": "abc-123-xyz"]),
            environment: DictionaryEnvironment()
        )
        let basic = Data("writer:correct-horse".utf8).base64EncodedString()
        let text = SecretScrubber(configuration: configuration).scrub("got \(basic) and correct-horse and abc-123-xyz")
        #expect(!text.contains(basic) && !text.contains("correct-horse") && !text.contains("abc-123-xyz"))
    }

    @Test func controlCharactersAndLengthAreBounded() {
        let text = SecretScrubber(secrets: [], limit: 50).scrub("\u{1B}[2Jcleared\u{7}" + String(repeating: "x", count: 10_000))
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(text.count <= 51)
    }
}
