import TelemetryCore
import TelemetryLocalExporters

/// Picks the exporter for the configured backend. Called only when telemetry is first enabled, so a
/// disabled client creates no file, session or socket.
enum ExporterFactory {
    static func make(_ configuration: ResolvedConfiguration, dependencies: TelemetryDependencies) -> (any TelemetryExporter)? {
        if let exporter = dependencies.exporter { return exporter }
        switch configuration.backend {
        case .file(let path):
            return OTLPJSONFileExporter(path: path)
        case .console:
            return ConsoleExporter()
        case .otlp, .clickhouse:
            return nil
        }
    }
}
