import Foundation
import TelemetryBatching
import TelemetryCore

/// Sends batches to an OpenTelemetry collector or vendor over OTLP/HTTP (protobuf or JSON).
///
/// Follows the OTLP/HTTP specification: one POST per batch to the signal's URL, `Content-Type`
/// exactly `application/x-protobuf` or `application/json`, gzip above a size threshold with a
/// matching `Content-Encoding`, any 2xx is success (with `partial_success` counted), 429/502/503/504
/// and transport failures are retryable (honouring `Retry-After`), 413 asks the caller to split, every
/// other status is permanent.
public final class OTLPHTTPExporter: PreparingExporter {
    /// Wire encoding.
    public enum Encoding: String, Sendable, Hashable, CaseIterable {
        /// `http/protobuf`: binary protobuf, the OTLP default.
        case protobuf = "http/protobuf"
        /// `http/json`: OTLP/JSON.
        case json = "http/json"

        /// The exact `Content-Type`.
        package var contentType: String { self == .protobuf ? "application/x-protobuf" : "application/json" }
    }

    /// Where and how to send.
    public struct Configuration: Sendable {
        /// Full URL for spans (events and errors).
        public var tracesURL: String
        /// Full URL for metrics.
        public var metricsURL: String
        /// Full URL for logs.
        public var logsURL: String
        /// Protobuf or JSON bodies.
        public var encoding: Encoding
        /// Extra headers (API keys, bearer tokens) for every signal; never logged.
        public var headers: [HTTPHeader] {
            get { _headers.value }
            set { _headers = Secret(newValue) }
        }
        private var _headers: Secret<[HTTPHeader]>
        /// Extra headers for one signal's endpoint only, sent after `headers` (e.g. an operator's
        /// per-signal collector token that must not travel to the other signals' hosts).
        public var signalHeaders: [TelemetrySignal: [HTTPHeader]] {
            get { _signalHeaders.value }
            set { _signalHeaders = Secret(newValue) }
        }
        private var _signalHeaders: Secret<[TelemetrySignal: [HTTPHeader]]> = Secret([:])
        /// Compression, or nil to always send plain bodies.
        public var compressor: (any Compressor)?
        /// Bodies below this many bytes are sent uncompressed.
        public var compressionThreshold: Int
        /// Limit for one request, connection included.
        public var timeout: Duration
        /// Adds a header computed from the request exactly as it is sent — method, URL, headers and body
        /// bytes (a request signature: see `RequestSignature`). Called at send time, so a spooled batch is
        /// signed when it is sent.
        public var requestSigner: (@Sendable (_ request: HTTPRequest) -> HTTPHeader)?

        /// Creates a configuration.
        public init(
            tracesURL: String, metricsURL: String, logsURL: String, encoding: Encoding = .protobuf,
            headers: [HTTPHeader] = [], compressor: (any Compressor)? = nil, compressionThreshold: Int = 1024,
            timeout: Duration = .seconds(5)
        ) {
            self.tracesURL = tracesURL
            self.metricsURL = metricsURL
            self.logsURL = logsURL
            self.encoding = encoding
            _headers = Secret(headers)
            self.compressor = compressor
            self.compressionThreshold = compressionThreshold
            self.timeout = timeout
        }
    }

    /// Where and how this exporter sends.
    public let configuration: Configuration
    private let client: any HTTPClient
    private let clock: any TelemetryClock
    private let protobuf = OTLPProtobufEncoder()
    private let json = OTLPJSONEncoder()

    /// Creates an exporter sending through `client`; `clock` resolves `Retry-After` dates.
    public init(configuration: Configuration, client: any HTTPClient, clock: any TelemetryClock) {
        self.configuration = configuration
        self.client = client
        self.clock = clock
    }

    /// Four requests in flight: a round trip (and the collector's processing) overlaps the encoding of
    /// the next batches, over as many kept-alive connections.
    public var maxConcurrentExports: Int { 4 }

    /// The encoded (and, when worthwhile, compressed) request body for `batch`, ready to spool.
    package func prepare(_ batch: ExportBatch, at time: Timestamp) -> SpoolEntry? {
        let request = makeRequest(for: batch)
        return SpoolEntry(
            signal: batch.payload.signal, itemCount: batch.itemCount, format: "otlp/\(configuration.encoding.rawValue)",
            contentType: configuration.encoding.contentType, contentEncoding: request.header("Content-Encoding"),
            body: request.body, createdAt: time
        )
    }

    /// Sends a prepared body; never throws (see `ExportResult`).
    package func send(_ entry: SpoolEntry) async -> ExportResult {
        guard entry.format == "otlp/\(configuration.encoding.rawValue)" else {
            return .permanentFailure(reason: "spooled \(entry.format) request cannot be sent as \(configuration.encoding.rawValue)")
        }
        var headers = [HTTPHeader("Content-Type", entry.contentType), HTTPHeader("User-Agent", SDKInfo.userAgent)]
        if let encoding = entry.contentEncoding { headers.append(HTTPHeader("Content-Encoding", encoding)) }
        headers.append(contentsOf: configuration.headers)
        headers.append(contentsOf: configuration.signalHeaders[entry.signal] ?? [])
        return await send(
            HTTPRequest(
                method: "POST", url: url(for: entry.signal), headers: headers, body: entry.body,
                timeout: configuration.timeout), signal: entry.signal)
    }

    /// Encodes and sends `batch`; never throws (see `ExportResult`).
    public func export(_ batch: ExportBatch) async -> ExportResult {
        await send(makeRequest(for: batch), signal: batch.payload.signal)
    }

    private func send(_ request: HTTPRequest, signal: TelemetrySignal) async -> ExportResult {
        var request = request
        if let signer = configuration.requestSigner { request.headers.append(signer(request)) }
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            switch error {
            case .invalidURL(let url): return .permanentFailure(reason: "invalid URL \(url)")
            default: return .retryable(reason: Self.describe(error))
            }
        }
        return classify(response, signal: signal, bodySize: request.body.count)
    }

    /// The request for `batch`: encoded, compressed when worthwhile, with the exact headers.
    package func makeRequest(for batch: ExportBatch) -> HTTPRequest {
        var body = configuration.encoding == .protobuf ? protobuf.encode(batch) : json.encode(batch)
        var headers = [
            HTTPHeader("Content-Type", configuration.encoding.contentType),
            HTTPHeader("User-Agent", SDKInfo.userAgent),
        ]
        if let compressor = configuration.compressor, body.count >= configuration.compressionThreshold,
            let compressed = try? compressor.compress(body)
        {
            body = compressed
            headers.append(HTTPHeader("Content-Encoding", compressor.contentEncoding))
        }
        headers.append(contentsOf: configuration.headers)
        headers.append(contentsOf: configuration.signalHeaders[batch.payload.signal] ?? [])
        return HTTPRequest(method: "POST", url: url(for: batch.payload.signal), headers: headers, body: body, timeout: configuration.timeout)
    }

    private func url(for signal: TelemetrySignal) -> String {
        switch signal {
        case .traces: configuration.tracesURL
        case .metrics: configuration.metricsURL
        case .logs: configuration.logsURL
        }
    }

    private func classify(_ response: HTTPResponse, signal: TelemetrySignal, bodySize: Int) -> ExportResult {
        switch response.status {
        case 200..<300:
            let rejected = Self.rejectedItems(in: response, encoding: configuration.encoding)
            return .success(rejectedItems: rejected, bytesSent: bodySize)
        case 429, 502, 503, 504:
            let retryAfter = response.header("retry-after").flatMap { RetryAfter.parse($0, now: clock.now()) }
            return .retryable(reason: "HTTP \(response.status)", retryAfter: retryAfter)
        case 413:
            return .tooLarge(reason: "HTTP 413")
        default:
            return .permanentFailure(reason: "HTTP \(response.status)\(Self.snippet(response.body))")
        }
    }

    /// `partial_success.rejected_*` (field 1 of field 1) from a protobuf or JSON response; 0 if absent.
    package static func rejectedItems(in response: HTTPResponse, encoding: Encoding) -> Int {
        guard !response.body.isEmpty else { return 0 }
        let isJSON = response.header("content-type")?.lowercased().hasPrefix("application/json") ?? (encoding == .json)
        if isJSON {
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                let partial = object["partialSuccess"] as? [String: Any]
            else { return 0 }
            for key in ["rejectedSpans", "rejectedDataPoints", "rejectedLogRecords"] {
                if let text = partial[key] as? String, let count = Int(text) { return max(0, count) }
                if let number = partial[key] as? NSNumber { return max(0, number.intValue) }
            }
            return 0
        }
        guard let fields = ProtobufReader.fields(of: response.body),
            case .lengthDelimited(let partial)? = fields.first(where: { $0.field == 1 })?.value,
            let inner = ProtobufReader.fields(of: partial),
            case .varint(let count)? = inner.first(where: { $0.field == 1 })?.value
        else { return 0 }
        return Int(clamping: Int64(bitPattern: count) < 0 ? 0 : count)
    }

    /// The start of an error body for the failure reason. Only line breaks and control characters go
    /// here: credentials, URL userinfo and anything that steers a terminal are removed where the reason
    /// reaches a human (the façade's `SecretScrubber`), which must see the server's text unaltered to
    /// recognise an echoed secret.
    private static func snippet(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = HumanText.printable(String(decoding: body.prefix(200), as: UTF8.self), keepLineFeeds: false)
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "" : ": \(text)"
    }

    private static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .timedOut: "timed out"
        case .connectionFailed(let detail): "connection failed (\(detail))"
        case .tlsFailure(let detail): "TLS failure (\(detail))"
        case .invalidURL(let url): "invalid URL \(url)"
        case .cancelled: "cancelled"
        case .other(let detail): detail
        }
    }
}

extension OTLPHTTPExporter.Configuration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with header values shown as `<redacted>` (names kept).
    public var description: String { RedactedDescription.describe(self, secrets: ["headers", "signalHeaders"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}
