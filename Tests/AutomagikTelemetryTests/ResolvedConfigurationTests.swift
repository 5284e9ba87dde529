import AutomagikTelemetry
import Testing
import TelemetryCore
import TelemetryPrivacy

@Suite struct ResolvedConfigurationTests {
    private func resolve(_ configuration: TelemetryConfiguration, _ env: [String: String] = [:]) throws(ConfigurationError) -> ResolvedConfiguration {
        try ResolvedConfiguration(configuration, environment: DictionaryEnvironment(env))
    }

    private let base = TelemetryConfiguration(projectName: "app", version: "1.0")

    @Test func defaultsMatchTheOriginalSDKs() throws {
        let resolved = try resolve(base)
        #expect(resolved.backend == .otlp)
        #expect(resolved.tracesEndpoint == "https://telemetry.namastex.ai/v1/traces")
        #expect(resolved.metricsEndpoint == "https://telemetry.namastex.ai/v1/metrics")
        #expect(resolved.logsEndpoint == "https://telemetry.namastex.ai/v1/logs")
        #expect(resolved.organization == "namastex")
        #expect(resolved.timeout == .seconds(5))
        #expect(resolved.batchSize == 512, "the OpenTelemetry batch processor's default")
        #expect(resolved.flushInterval == .seconds(5))
        #expect(resolved.compressionEnabled)
        #expect(resolved.compressionThreshold == 1024)
        #expect(resolved.maxRetries == 3)
        #expect(resolved.retryBackoffBase == .seconds(1))
        #expect(resolved.queueCapacity == nil, "no item cap: the memory budget bounds the queue")
        #expect(resolved.memoryBudget == 64 * 1024 * 1024)
        #expect(resolved.metricTemporality == .delta)
    }

    @Test func environmentFillsWhatCodeLeftUnset() throws {
        let env = [
            "AUTOMAGIK_TELEMETRY_ENDPOINT": "https://collector.example.com/", "AUTOMAGIK_TELEMETRY_TIMEOUT": "2.5",
            "AUTOMAGIK_TELEMETRY_BATCH_SIZE": "7", "AUTOMAGIK_TELEMETRY_BACKEND": "console",
            "AUTOMAGIK_TELEMETRY_LOGS_ENDPOINT": "https://logs.example.com/ingest", "ENVIRONMENT": "staging",
            "AUTOMAGIK_TELEMETRY_COMPRESSION": "false", "OTEL_RESOURCE_ATTRIBUTES": "team=core,region=eu%2Dwest",
            "AUTOMAGIK_TELEMETRY_MEMORY_BUDGET": "8388608",
        ]
        let resolved = try resolve(base, env)
        #expect(resolved.tracesEndpoint == "https://collector.example.com/v1/traces")
        #expect(resolved.logsEndpoint == "https://logs.example.com/ingest")
        #expect(resolved.timeout == .milliseconds(2500))
        #expect(resolved.batchSize == 7)
        #expect(resolved.memoryBudget == 8 * 1024 * 1024)
        #expect(resolved.backend == .console)
        #expect(resolved.deploymentEnvironment == "staging")
        #expect(!resolved.compressionEnabled)
        #expect(resolved.extraResourceAttributes.map(\.0) == ["team", "region"])
        #expect(resolved.extraResourceAttributes.map(\.1) == ["core", "eu-west"])
    }

    @Test func codeWinsOverEnvironment() throws {
        var configuration = base
        configuration.endpoint = "https://code.example.com"
        configuration.batchSize = 3
        let resolved = try resolve(configuration, [
            "AUTOMAGIK_TELEMETRY_ENDPOINT": "https://env.example.com", "AUTOMAGIK_TELEMETRY_BATCH_SIZE": "9",
        ])
        #expect(resolved.tracesEndpoint == "https://code.example.com/v1/traces")
        #expect(resolved.batchSize == 3)
    }

    @Test func standardOpenTelemetryVariablesAreHonoured() throws {
        let resolved = try resolve(TelemetryConfiguration(version: "1"), [
            "OTEL_SERVICE_NAME": "from-otel", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://127.0.0.1:9999/m",
        ])
        #expect(resolved.projectName == "from-otel")
        #expect(resolved.tracesEndpoint == "http://localhost:4318/v1/traces")
        #expect(resolved.metricsEndpoint == "http://127.0.0.1:9999/m")
    }

    @Test(arguments: [
        (TelemetryConfiguration(version: "1"), "projectName"),
        (TelemetryConfiguration(projectName: " ", version: "1"), "projectName"),
        (TelemetryConfiguration(projectName: "a"), "version"),
        (TelemetryConfiguration(projectName: "a", version: "1", endpoint: "not a url"), "endpoint"),
        (TelemetryConfiguration(projectName: "a", version: "1", endpoint: "ftp://x.example.com"), "endpoint"),
        (TelemetryConfiguration(projectName: "a", version: "1", endpoint: "http://collector.example.com"), "endpoint"),
        (TelemetryConfiguration(projectName: "a", version: "1", batchSize: 0), "batchSize"),
        (TelemetryConfiguration(projectName: "a", version: "1", batchSize: -5), "batchSize"),
        (TelemetryConfiguration(projectName: "a", version: "1", timeout: .zero), "timeout"),
        (TelemetryConfiguration(projectName: "a", version: "1", flushInterval: .seconds(-1)), "flushInterval"),
        (TelemetryConfiguration(projectName: "a", version: "1", batchSize: 50, queueCapacity: 10), "queueCapacity"),
        (TelemetryConfiguration(projectName: "a", version: "1", maxRetries: -1), "maxRetries"),
        (TelemetryConfiguration(projectName: "a", version: "1", memoryBudget: 1000), "memoryBudget"),
        (TelemetryConfiguration(projectName: "a", version: "1", backend: .file(path: "")), "backend"),
    ])
    func invalidSettingsFailWithTheirName(configuration: TelemetryConfiguration, setting: String) {
        do {
            _ = try resolve(configuration)
            Issue.record("expected \(setting) to be rejected")
        } catch {
            #expect(error.setting == setting)
            #expect(!error.problem.isEmpty)
        }
    }

    @Test(arguments: [
        ("AUTOMAGIK_TELEMETRY_BACKEND", "kafka"), ("AUTOMAGIK_TELEMETRY_TIMEOUT", "soon"),
        ("AUTOMAGIK_TELEMETRY_BATCH_SIZE", "-1"), ("AUTOMAGIK_TELEMETRY_COMPRESSION", "maybe"),
        ("AUTOMAGIK_TELEMETRY_ENDPOINT", "telemetry.example.com"), ("AUTOMAGIK_TELEMETRY_FLUSH_INTERVAL", "0"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "thrift"),
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "-5"), ("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "bad header=x"), ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "lots"),
        ("OTEL_BSP_SCHEDULE_DELAY", "-1"), ("AUTOMAGIK_TELEMETRY_MEMORY_BUDGET", "12"),
        ("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "sometimes"), ("OTEL_LOG_LEVEL", "chatty"),
        ("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR", "ancient"), ("AUTOMAGIK_TELEMETRY_VERBOSE", "loud"),
        ("OTEL_TRACES_EXPORTER", "zipkin"),
    ])
    func invalidEnvironmentValuesNeverThrowAndAreReported(variable: String, value: String) throws {
        let resolved = try resolve(base, [variable: value])
        let defaults = try resolve(base)
        #expect(resolved.environmentProblems.contains { $0.contains(variable) }, "\(resolved.environmentProblems)")
        #expect(resolved.tracesEndpoint == defaults.tracesEndpoint)
        #expect(resolved.batchSize == defaults.batchSize && resolved.timeout == defaults.timeout)
        #expect(resolved.flushInterval == defaults.flushInterval && resolved.otlpProtocol == defaults.otlpProtocol)
        #expect(resolved.compressionEnabled == defaults.compressionEnabled && resolved.backend == defaults.backend)
    }

    @Test func anOperatorsPlainHTTPCollectorIsAcceptedFromTheEnvironmentOnly() throws {
        let resolved = try resolve(base, ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4318"])
        #expect(resolved.tracesEndpoint == "http://otel-collector:4318/v1/traces")
        #expect(resolved.environmentProblems.contains { $0.contains("unencrypted") })
        var fromCode = base
        fromCode.endpoint = "http://otel-collector:4318"
        #expect(throws: ConfigurationError.self) { try resolve(fromCode) }
    }

    @Test func gRPCFallsBackToHTTPProtobufOnTheHTTPPort() throws {
        let resolved = try resolve(base, [
            "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4317",
        ])
        #expect(resolved.otlpProtocol == .protobuf)
        #expect(resolved.tracesEndpoint == "http://otel-collector:4318/v1/traces")
        #expect(resolved.environmentProblems.contains { $0.contains("gRPC") })
    }

    @Test func environmentHeadersFollowEnvironmentEndpointsOnly() throws {
        let environment = [
            "OTEL_EXPORTER_OTLP_HEADERS": "x-collector-token=operator-secret",
            "OTEL_EXPORTER_OTLP_LOGS_HEADERS": "x-logs-token=logs-secret",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.internal",
        ]
        let operatorEndpoint = try resolve(base, environment)
        #expect(operatorEndpoint.signalHeaders[.traces] == ["x-collector-token": "operator-secret"])
        #expect(operatorEndpoint.signalHeaders[.logs] == ["x-collector-token": "operator-secret", "x-logs-token": "logs-secret"])
        #expect(operatorEndpoint.headers.isEmpty)

        var codeChosen = base
        codeChosen.endpoint = "https://third-party.example.com"
        codeChosen.headers = ["x-app-key": "app"]
        let resolved = try resolve(codeChosen, environment)
        #expect(resolved.signalHeaders.isEmpty, "an operator's token never goes to a host the code chose")
        #expect(resolved.headers == ["x-app-key": "app"])
        #expect(resolved.tracesEndpoint == "https://third-party.example.com/v1/traces")
    }

    @Test func codeWinsOverPerSignalEnvironmentEndpoints() throws {
        var configuration = base
        configuration.endpoint = "https://code.example.com"
        let resolved = try resolve(configuration, [
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://env.example.com/v1/traces",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "https://env.example.com/v1/metrics",
        ])
        #expect(resolved.tracesEndpoint == "https://code.example.com/v1/traces")
        #expect(resolved.metricsEndpoint == "https://code.example.com/v1/metrics")
        #expect(resolved.environmentProblems.filter { $0.contains("ignored: the app's code sets the endpoint") }.count == 2)
    }

    @Test func perSignalEnvironmentEndpointsBeatTheGeneralOne() throws {
        let resolved = try resolve(base, [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://general.example.com",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "https://logs.example.com/custom/logs",
        ])
        #expect(resolved.tracesEndpoint == "https://general.example.com/v1/traces")
        #expect(resolved.logsEndpoint == "https://logs.example.com/custom/logs")
    }

    @Test func operatorTLSFilesApplyToEnvironmentEndpointsOnly() throws {
        let file = "/proc/self/status"  // any readable file
        let environment = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.internal:4318",
            "OTEL_EXPORTER_OTLP_CERTIFICATE": file, "OTEL_EXPORTER_OTLP_CLIENT_KEY": "/nonexistent/key.pem",
        ]
        let resolved = try resolve(base, environment)
        #expect(resolved.tlsFiles.caCertificate == file)
        #expect(resolved.tlsFiles.clientKey == nil)
        #expect(resolved.environmentProblems.contains { $0.contains("OTEL_EXPORTER_OTLP_CLIENT_KEY") })
        var codeChosen = base
        codeChosen.endpoint = "https://vendor.example.com"
        #expect(try resolve(codeChosen, environment).tlsFiles.isEmpty)
    }

    @Test func attributeLimitsFromTheEnvironmentOnlyTighten() throws {
        let tighter = try resolve(base, ["OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": "64", "OTEL_ATTRIBUTE_COUNT_LIMIT": "16"])
        #expect(tighter.privacy.maxAttributeValueBytes == 64 && tighter.privacy.maxAttributeCount == 16)
        let looser = try resolve(base, ["OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": "100000"])
        #expect(looser.privacy.maxAttributeValueBytes == PrivacyPolicy.default.maxAttributeValueBytes)
    }

    @Test func theOpenTelemetrySDKVariablesMapOntoTheSettings() throws {
        let resolved = try resolve(base, [
            "OTEL_BSP_SCHEDULE_DELAY": "2500", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "256", "OTEL_BSP_MAX_QUEUE_SIZE": "4096",
            "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "7000", "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "cumulative",
            "OTEL_LOG_LEVEL": "debug", "OTEL_LOGS_EXPORTER": "none",
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-resource,team=core",
        ])
        #expect(resolved.flushInterval == .milliseconds(2500))
        #expect(resolved.batchSize == 256 && resolved.queueCapacity == 4096)
        #expect(resolved.timeout == .seconds(7))
        #expect(resolved.metricTemporality == .cumulative)
        #expect(resolved.verbose)
        #expect(resolved.disabledSignals == [.logs])
        #expect(resolved.environmentProblems.isEmpty, "\(resolved.environmentProblems)")
        var unnamed = base
        unnamed.projectName = nil
        #expect(try resolve(unnamed, ["OTEL_RESOURCE_ATTRIBUTES": "service.name=from-resource"]).projectName == "from-resource")
        #expect(try resolve(unnamed, [
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-resource", "OTEL_SERVICE_NAME": "from-variable",
        ]).projectName == "from-variable")
    }

    @Test func plainHTTPIsAllowedToLoopbackOrWhenExplicit() throws {
        for endpoint in ["http://localhost:4318", "http://127.0.0.1:4318", "http://[::1]:4318"] {
            _ = try resolve(TelemetryConfiguration(projectName: "a", version: "1", endpoint: endpoint))
        }
        var configuration = TelemetryConfiguration(projectName: "a", version: "1", endpoint: "http://collector.internal:4318")
        configuration.allowInsecureHTTP = true
        #expect(try resolve(configuration).tracesEndpoint == "http://collector.internal:4318/v1/traces")
    }

    @Test func backendParsing() {
        #expect(TelemetryBackend(parsing: "OTLP") == .otlp)
        #expect(TelemetryBackend(parsing: "file:/tmp/x.jsonl") == .file(path: "/tmp/x.jsonl"))
        #expect(TelemetryBackend(parsing: "file:") == nil)
        #expect(TelemetryBackend(parsing: "kafka") == nil)
        #expect(TelemetryBackend.file(path: "/a").description == "file:/a")
    }

    @Test(arguments: [
        ("http://localhost:4318", true), ("http://LOCALHOST:4318", true), ("http://127.0.0.1:4318", true),
        ("http://127.1.2.3", true), ("http://[::1]:4318", true), ("http://[0:0:0:0:0:0:0:1]", true),
        ("http://[::ffff:127.0.0.1]", true),
        ("http://127.attacker.example", false), ("http://127.0.0.1.nip.io", false), ("http://localhost.attacker.com", false),
        ("http://foo.localhost", false), ("http://127.0.0.1a", false), ("http://0x7f.0.0.1", false), ("http://[::2]", false),
        ("http://128.0.0.1", false), ("http://[::ffff:10.0.0.1]", false),
    ])
    func plainHTTPNeedsAParsedLoopbackAddress(url: String, accepted: Bool) {
        let result = Result { () throws(ConfigurationError) in
            try ResolvedConfiguration(TelemetryConfiguration(projectName: "a", version: "1", endpoint: url), environment: DictionaryEnvironment())
        }
        switch result {
        case .success: #expect(accepted, "\(url) must not count as loopback")
        case .failure(let error): #expect(!accepted && error.setting == "endpoint", "\(url): \(error)")
        }
    }
}
