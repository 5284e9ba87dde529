import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore

/// What `verbose` prints: failures explained, credentials never.
@Suite struct DiagnosticsTests {
    @Test(arguments: [TelemetryBackend.otlp, .clickhouse])
    func aServerEchoingTheRequestDoesNotPutCredentialsOnStderr(backend: TelemetryBackend) async throws {
        let printed = LockedBox<[String]>([])
        let echo: @Sendable (HTTPRequest) -> HTTPResponse = { request in
            let headers = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: " | ")
            return HTTPResponse(status: 400, body: Array("Code: 27. bad request, you sent: \(headers)".utf8))
        }
        let answering = EchoingHTTPClient(answer: echo)
        var configuration = TelemetryConfiguration(projectName: "p", version: "1", enabled: true, backend: backend)
        configuration.verbose = true
        configuration.headers = ["Authorization": "Bearer tok-abcdef-0123456789"]
        configuration.clickhouse = ClickHouseSettings(endpoint: "http://127.0.0.1:1", username: "writer", password: "s3cret-pass")
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: ManualClock(), random: SeededRandomSource(), environment: DictionaryEnvironment(),
                stateStore: InMemoryStateStore(), host: Harness.host, httpClient: answering,
                diagnosticsSink: { line in printed.withLock { $0.append(line) } }
            )
        )
        telemetry.trackEvent("e")
        _ = await telemetry.flush()
        _ = await telemetry.shutdown(deadline: .seconds(5))
        let output = printed.withLock { $0 }.joined(separator: "\n")
        #expect(!output.isEmpty, "the failure is reported")
        let basic = Data("writer:s3cret-pass".utf8).base64EncodedString()
        for secret in ["tok-abcdef-0123456789", "s3cret-pass", basic] {
            #expect(!output.contains(secret), "\(output)")
        }
    }

    @Test func printingAConfigurationShowsNoSecrets() {
        var configuration = TelemetryConfiguration(projectName: "p", version: "1")
        configuration.headers = ["Authorization": "Bearer tok-abcdef-0123456789"]
        configuration.privacySalt = "salt-that-is-secret"
        configuration.clickhouse = ClickHouseSettings(username: "writer", password: "s3cret-pass")
        for text in ["\(configuration)", String(reflecting: configuration), "\(configuration.clickhouse)"] {
            #expect(!text.contains("tok-abcdef") && !text.contains("salt-that-is-secret") && !text.contains("s3cret-pass"), "\(text)")
            #expect(text.contains("<redacted>"))
        }
        #expect("\(configuration)".contains("Authorization"), "header names stay visible")
    }
}

/// Answers every request with `answer(request)`.
private struct EchoingHTTPClient: HTTPClient {
    let answer: @Sendable (HTTPRequest) -> HTTPResponse
    func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse { answer(request) }
}
