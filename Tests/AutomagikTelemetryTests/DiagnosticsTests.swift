import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import Testing
@_spi(Internals) import TelemetryCore
import TelemetryHTTP
import TelemetryOTLP

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
        var configuration = TelemetryConfiguration.test("p")
        configuration.verbose = true
        configuration.backend =
            backend == .clickhouse
            ? .clickhouse(ClickHouseSettings(endpoint: "http://127.0.0.1:1", username: "writer", password: "s3cret-pass"))
            : .otlp(OTLPSettings(headers: ["Authorization": "Bearer tok-abcdef-0123456789"]))
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
        let lastFailure = try #require(telemetry.stats.lastFailure, "the cause is kept for stats and status")
        #expect(lastFailure.contains("400") || lastFailure.contains("27"), "\(lastFailure)")
        #expect(telemetry.status.description.contains("last failure:"))
        for secret in ["tok-abcdef-0123456789", "s3cret-pass", basic] {
            #expect(!output.contains(secret), "\(output)")
            #expect(!lastFailure.contains(secret) && !telemetry.status.description.contains(secret))
        }
    }

    @Test func printingAConfigurationShowsNoSecrets() {
        var configuration = TelemetryConfiguration(projectName: "p", version: "1")
        configuration.backend = .otlp(OTLPSettings(headers: ["Authorization": "Bearer tok-abcdef-0123456789"]))
        configuration.privacy.salt = "salt-that-is-secret"
        let house = ClickHouseSettings(username: "writer", password: "s3cret-pass")
        var withHouse = configuration
        withHouse.backend = .clickhouse(house)
        for text in ["\(configuration)", String(reflecting: configuration), "\(house)", "\(withHouse)"] {
            #expect(!text.contains("tok-abcdef") && !text.contains("salt-that-is-secret") && !text.contains("s3cret-pass"), "\(text)")
            #expect(text.contains("<redacted>"))
        }
        #expect("\(configuration)".contains("Authorization"), "header names stay visible")

        var exporter = OTLPHTTPExporter.Configuration(
            tracesURL: "https://c/v1/traces", metricsURL: "https://c/v1/metrics", logsURL: "https://c/v1/logs",
            headers: [HTTPHeader("x-app-key", "app-secret-value")]
        )
        exporter.signalHeaders = [.logs: [HTTPHeader("x-logs-token", "logs-secret-value")], .traces: [HTTPHeader("x-t", "t-secret-value")]]
        let text = "\(exporter)"
        #expect(!text.contains("secret-value"), "\(text)")
        #expect(text.contains("logs: [x-logs-token: <redacted>]") && text.contains("traces: [x-t: <redacted>]"), "\(text)")
    }
}

/// Answers every request with `answer(request)`.
private struct EchoingHTTPClient: HTTPClient {
    let answer: @Sendable (HTTPRequest) -> HTTPResponse
    func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse { answer(request) }
}

/// The operator's environment never breaks start-up and never leaks its headers to a code-chosen host.
@Suite struct OperatorEnvironmentTests {
    @Test func environmentHeadersNeverReachAHostTheCodeChose() async throws {
        let http = RecordingHTTPClient()
        var configuration = TelemetryConfiguration.test("p")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://app-vendor.example.com", headers: ["x-app-key": "app-key-value"]))
        let printed = LockedBox<[String]>([])
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: ManualClock(), random: SeededRandomSource(),
                environment: DictionaryEnvironment([
                    "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer operator-collector-token",
                    "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "AUTOMAGIK_TELEMETRY_BATCH_SIZE": "many",
                ]),
                stateStore: InMemoryStateStore(), host: Harness.host, httpClient: http,
                diagnosticsSink: { line in printed.withLock { $0.append(line) } }
            )
        )
        telemetry.trackEvent("e")
        telemetry.trackLog("l")
        await telemetry.flush()
        #expect(http.requests.count == 2)
        for request in http.requests {
            #expect(request.url.hasPrefix("https://app-vendor.example.com/"))
            #expect(request.header("authorization") == nil)
            #expect(request.header("x-app-key") == "app-key-value")
        }
        let output = printed.withLock { $0 }.joined(separator: "\n")
        #expect(output.contains("AUTOMAGIK_TELEMETRY_BATCH_SIZE") && output.contains("gRPC"), "\(output)")
        #expect(!output.contains("operator-collector-token"))
        #expect(telemetry.status.environmentProblems.count >= 3)
        await telemetry.shutdown()
    }

    /// Two real listeners on loopback, the real transport: the operator's collector (named by the
    /// environment, with its token) and a vendor the app's code chose. The token reaches only the first.
    @Test func overRealSocketsTheOperatorsTokenReachesOnlyTheOperatorsCollector() async throws {
        let collector = try LoopbackHTTPServer { _ in .respond(status: 200) }
        let vendor = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer {
            collector.stop()
            vendor.stop()
        }
        let environment = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url, "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer operator-token-0123",
        ]
        for codeChoosesVendor in [true, false] {
            var configuration = TelemetryConfiguration.test("p")
            if codeChoosesVendor { configuration.backend = .otlp(OTLPSettings(endpoint: vendor.url, headers: ["x-app-key": "k"])) }
            let telemetry = try AutomagikTelemetry(
                configuration: configuration, dependencies: .inMemory(environment: environment, exporter: nil, httpClient: DefaultHTTPClient())
            )
            telemetry.trackEvent("e")
            await telemetry.flush(deadline: .seconds(30))
            await telemetry.shutdown(deadline: .seconds(5))
        }
        #expect(vendor.requests.count == 1 && collector.requests.count == 1)
        #expect(vendor.requests.allSatisfy { $0.headers["authorization"] == nil && $0.headers["x-app-key"] == "k" })
        #expect(collector.requests.allSatisfy { $0.headers["authorization"] == "Bearer operator-token-0123" })
    }

    @Test func environmentHeadersGoToTheEnvironmentsEndpoint() async throws {
        let http = RecordingHTTPClient()
        let telemetry = try AutomagikTelemetry(
            configuration: .test("p"),
            dependencies: TelemetryDependencies(
                clock: ManualClock(), random: SeededRandomSource(),
                environment: DictionaryEnvironment([
                    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4318",
                    "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer operator-collector-token",
                    "OTEL_METRICS_EXPORTER": "none",
                ]),
                stateStore: InMemoryStateStore(), host: Harness.host, httpClient: http
            )
        )
        telemetry.trackEvent("e")
        telemetry.trackMetric("m", value: 1)
        await telemetry.flush()
        #expect(http.requests.map(\.url) == ["http://otel-collector:4318/v1/traces"], "metrics are off")
        #expect(http.requests.first?.header("authorization") == "Bearer operator-collector-token")
        await telemetry.shutdown()
    }
}
