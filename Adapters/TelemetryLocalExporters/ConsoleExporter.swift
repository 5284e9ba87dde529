import TelemetryCore

/// Prints a readable line per span, metric point and log record: for development and the CLI.
///
/// ```
/// span   automagik.feature.used  feature=export_csv rows=12
/// error  automagik.error  ValueError: bad input
/// metric api.latency histogram count=3 sum=41.0 {route=/users}
/// log    WARN  disk almost full  {disk=/}
/// ```
public struct ConsoleExporter: TelemetryExporter {
    private let write: @Sendable (String) -> Void

    /// Creates an exporter that hands each line to `write` (standard output by default).
    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.write = write
    }

    /// Writes one readable line per span, metric point and log record; always succeeds.
    public func export(_ batch: ExportBatch) async -> ExportResult {
        for line in Self.lines(for: batch.payload) { write(line) }
        return .success()
    }

    /// The lines printed for `payload`.
    public static func lines(for payload: ExportPayload) -> [String] {
        switch payload {
        case .spans(let spans):
            return spans.map { span in
                let label = span.status.code == .error ? "error " : "span  "
                var line = "\(label) \(span.name)"
                if span.status.code == .error { line += "  \(span.status.message)" }
                if span.duration > .zero { line += "  \(span.duration)" }
                return line + render(span.attributes)
            }
        case .metrics(let metrics):
            return metrics.flatMap { metric -> [String] in
                switch metric.data {
                case .sum(let sum):
                    return sum.points.map {
                        "metric \(metric.name) \(sum.isMonotonic ? "counter" : "updown") \($0.value.doubleValue)\(unit(metric))"
                            + render($0.attributes)
                    }
                case .gauge(let points):
                    return points.map { "metric \(metric.name) gauge \($0.value.doubleValue)\(unit(metric))" + render($0.attributes) }
                case .histogram(let histogram):
                    return histogram.points.map {
                        "metric \(metric.name) histogram count=\($0.count) sum=\($0.sum)\(unit(metric))" + render($0.attributes)
                    }
                }
            }
        case .logs(let logs):
            return logs.map { "log    \($0.severity.text.padding(5))  \($0.body)" + render($0.attributes) }
        }
    }

    private static func unit(_ metric: MetricRecord) -> String { metric.unit.isEmpty ? "" : " \(metric.unit)" }

    private static func render(_ attributes: TelemetryAttributes) -> String {
        guard !attributes.isEmpty else { return "" }
        return "  {" + attributes.keys.sorted().map { "\($0)=\(attributes[$0]!.displayString)" }.joined(separator: " ") + "}"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
