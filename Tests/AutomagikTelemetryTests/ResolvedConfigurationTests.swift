import AutomagikTelemetry
import Testing
import TelemetryCore

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
    ])
    func invalidEnvironmentValuesNameTheVariable(variable: String, value: String) {
        do {
            _ = try resolve(base, [variable: value])
            Issue.record("expected \(variable)=\(value) to be rejected")
        } catch {
            #expect(error.setting == variable || error.setting == "endpoint")
            #expect(error.description.contains(value) || error.description.contains("telemetry.example.com"))
        }
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
