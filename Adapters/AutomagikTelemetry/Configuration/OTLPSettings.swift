import TelemetryCore
import TelemetryOTLP

/// Settings of the OTLP/HTTP backend. Unset (`nil`) values come from the environment, then the
/// defaults. Headers from the environment (`OTEL_EXPORTER_OTLP_HEADERS` and its per-signal forms) go
/// only to endpoints that also came from the environment or the default, never to a host chosen here.
public struct OTLPSettings: Sendable, Hashable {
    /// Base URL; `/v1/traces`, `/v1/metrics` and `/v1/logs` are appended. Environment:
    /// `AUTOMAGIK_TELEMETRY_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`. Default:
    /// `https://telemetry.namastex.ai`. Plain `http://` only to loopback unless
    /// `ExporterSettings.allowInsecureHTTP`.
    public var endpoint: String?
    /// Full URL for traces (events and errors), used as given. Environment:
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. Default: `endpoint` + `/v1/traces`.
    public var tracesEndpoint: String?
    /// Full URL for metrics, used as given. Environment: `AUTOMAGIK_TELEMETRY_METRICS_ENDPOINT`,
    /// `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`. Default: `endpoint` + `/v1/metrics`.
    public var metricsEndpoint: String?
    /// Full URL for logs, used as given. Environment: `AUTOMAGIK_TELEMETRY_LOGS_ENDPOINT`,
    /// `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`. Default: `endpoint` + `/v1/logs`.
    public var logsEndpoint: String?
    /// Binary protobuf (`http/protobuf`, the OTLP default) or JSON (`http/json`). Environment:
    /// `OTEL_EXPORTER_OTLP_PROTOCOL` and its per-signal forms (`grpc` is answered with http/protobuf).
    /// Default: `.protobuf`.
    public var encoding: OTLPHTTPExporter.Encoding?
    /// Extra HTTP headers (API keys, bearer tokens), sent with every request; they win by name over the
    /// environment's. Names must be tokens and values free of line breaks. Never printed.
    public var headers: [String: String] {
        get { _headers.value }
        set { _headers = Secret(newValue) }
    }
    private var _headers: Secret<[String: String]>

    /// Settings with every value unset, so the environment and then the defaults decide them.
    public init(
        endpoint: String? = nil, tracesEndpoint: String? = nil, metricsEndpoint: String? = nil, logsEndpoint: String? = nil,
        encoding: OTLPHTTPExporter.Encoding? = nil, headers: [String: String] = [:]
    ) {
        self.endpoint = endpoint
        self.tracesEndpoint = tracesEndpoint
        self.metricsEndpoint = metricsEndpoint
        self.logsEndpoint = logsEndpoint
        self.encoding = encoding
        _headers = Secret(headers)
    }
}

extension OTLPSettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with header values shown as `<redacted>`.
    public var description: String { RedactedDescription.describe(self, secrets: ["headers"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}
