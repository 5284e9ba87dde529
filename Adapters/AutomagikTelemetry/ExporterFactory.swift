import TelemetryClickHouse
import TelemetryCore
import TelemetryGzip
import TelemetryHTTP
import TelemetryLocalExporters
import TelemetryOTLP
import TelemetryPrivacy

/// Picks the exporter for the configured backend. Called only when telemetry is first enabled, so a
/// disabled client creates no file, session or socket.
enum ExporterFactory {
    static func make(_ configuration: ResolvedConfiguration, dependencies: TelemetryDependencies) -> (any TelemetryExporter)? {
        if let exporter = dependencies.exporter { return exporter }
        switch configuration.dryRun {
        case .console?: return OTLPJSONStreamExporter()
        case .file(let path)?: return OTLPJSONFileExporter(path: path)
        case nil: break
        }
        switch configuration.backend {
        case .file:
            return OTLPJSONFileExporter(path: configuration.filePath ?? "")
        case .console:
            return ConsoleExporter()
        case .otlp:
            var settings = OTLPHTTPExporter.Configuration(
                tracesURL: configuration.tracesEndpoint,
                metricsURL: configuration.metricsEndpoint,
                logsURL: configuration.logsEndpoint,
                encoding: configuration.otlpEncoding,
                headers: configuration.headers.sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) },
                compressor: configuration.compressionEnabled ? GzipCompressor() : nil,
                compressionThreshold: configuration.compressionThreshold,
                timeout: configuration.timeout
            )
            if let key = configuration.signingKey {
                let (secret, clock, random) = (Array(key.utf8), dependencies.clock, dependencies.random)
                settings.requestSigner = { request in
                    let value = RequestSignature.value(
                        for: RequestSignature.Request(request), key: secret, at: clock.now(), nonce: random.bytes(count: 16))
                    return HTTPHeader(RequestSignature.headerName, value)
                }
            }
            settings.signalHeaders = configuration.signalHeaders.mapValues { headers in
                headers.sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) }
            }
            let client =
                dependencies.httpClient
                ?? DefaultHTTPClient.makeDefault(
                    tls: configuration.tlsFiles, environment: configuration.proxyEnvironment)
            return OTLPHTTPExporter(configuration: settings, client: client, clock: dependencies.clock)
        case .clickhouse:
            var settings = configuration.clickhouse
            settings.compressor = configuration.compressionEnabled ? GzipCompressor() : nil
            settings.compressionThreshold = configuration.compressionThreshold
            settings.timeout = configuration.timeout
            let client =
                dependencies.httpClient ?? DefaultHTTPClient.makeDefault(tls: TLSFiles(), environment: configuration.proxyEnvironment)
            return ClickHouseExporter(configuration: settings, client: client)
        }
    }
}
