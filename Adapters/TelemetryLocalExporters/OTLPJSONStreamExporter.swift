#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore
import TelemetryOTLP

/// Hands each batch, as one line of OTLP/JSON (`Export{Trace,Metrics,Logs}ServiceRequest`, the JSON form
/// of exactly what the OTLP exporter sends), to `write`: standard error by default. The output of a dry
/// run, and what `automagik-telemetry inspect` prints. Creates no file, opens no socket.
public struct OTLPJSONStreamExporter: TelemetryExporter {
    private let write: @Sendable (String) -> Void
    private let encoder = OTLPJSONEncoder()

    /// An exporter handing each line (without its newline) to `write`; by default the line goes to
    /// standard error in one `write(2)`, so lines from concurrent batches never interleave.
    public init(write: @escaping @Sendable (String) -> Void = OTLPJSONStreamExporter.writeToStandardError) {
        self.write = write
    }

    /// Hands the batch, as one OTLP/JSON line, to `write`; always succeeds.
    public func export(_ batch: ExportBatch) async -> ExportResult {
        let line = String(decoding: encoder.encode(batch), as: UTF8.self)
        write(line)
        return .success(bytesSent: 0)
    }

    /// Writes `line` and a newline to standard error.
    public static let writeToStandardError: @Sendable (String) -> Void = { line in
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { systemWrite(2, $0.baseAddress, $0.count) }
    }
}

/// The system's `write(2)`; inside the exporter, `write` names its stored closure.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
