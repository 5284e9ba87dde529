@_spi(Internals) import TelemetryCore

/// Inserts batches straight into ClickHouse over its HTTP interface:
/// `POST /?query=INSERT INTO db.table FORMAT JSONEachRow` with the rows as body.
///
/// - gzip above a threshold (`Content-Encoding: gzip`, which ClickHouse decodes), Basic auth or the
///   `X-ClickHouse-User`/`X-ClickHouse-Key` headers (never both: servers answer 401), optional
///   `async_insert` on modern servers.
/// - Failures are classified by ClickHouse's own error code (`X-ClickHouse-Exception-Code`, else the
///   `Code: N` at the start of the body), because HTTP statuses differ between versions: auth, unknown
///   table/column/setting and parse errors are permanent; overload, timeouts and network errors are
///   retryable.
/// - Retries resend identical bytes. On the modern schema, tables keep
///   `non_replicated_deduplication_window`, so a retried block that the server had already stored is
///   dropped as a duplicate. On legacy servers (no deduplication for plain MergeTree), a retry after a
///   reply was lost can store the batch twice.
/// - The password never appears in URLs, errors or diagnostics.
public final class ClickHouseExporter: PreparingExporter {
    /// How to choose the schema flavour.
    public enum FlavorChoice: String, Sendable, Hashable, CaseIterable {
        /// Ask the server (`SELECT version()`): 21.8 and later are modern.
        case automatic
        case modern
        case legacy
    }

    /// How to send credentials.
    public enum Authentication: String, Sendable, Hashable {
        /// `Authorization: Basic …`
        case basic
        /// `X-ClickHouse-User` and `X-ClickHouse-Key`.
        case headers
    }

    /// Where and how to insert.
    public struct Configuration: Sendable {
        /// Base URL of the HTTP interface, e.g. `http://localhost:8123`.
        public var endpoint: String
        /// Database and table names (quoted in every statement).
        public var names: ClickHouseSchema.Names
        /// The user inserts run as.
        public var username: String
        /// Never logged or printed.
        public var password: String {
            get { _password.value }
            set { _password = Secret(newValue) }
        }
        private var _password: Secret<String>
        /// How the credentials travel (never both ways at once: servers answer 401).
        public var authentication: Authentication
        /// Which schema flavour to write, or `.automatic` to ask the server once.
        public var flavor: FlavorChoice
        /// Compression for row bodies, or nil to send them plain.
        public var compressor: (any Compressor)?
        /// Bodies smaller than this many bytes are sent uncompressed.
        public var compressionThreshold: Int
        /// Limit for one request, connection included.
        public var timeout: Duration
        /// `async_insert=1, wait_for_async_insert=1` (modern servers only): the server batches small inserts.
        public var asyncInsert: Bool

        /// Creates a configuration with the original SDKs' defaults.
        public init(
            endpoint: String = "http://localhost:8123", names: ClickHouseSchema.Names = .init(), username: String = "default",
            password: String = "", authentication: Authentication = .basic, flavor: FlavorChoice = .automatic,
            compressor: (any Compressor)? = nil, compressionThreshold: Int = 1024, timeout: Duration = .seconds(10),
            asyncInsert: Bool = false
        ) {
            self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            self.names = names
            self.username = username
            _password = Secret(password)
            self.authentication = authentication
            self.flavor = flavor
            self.compressor = compressor
            self.compressionThreshold = compressionThreshold
            self.timeout = timeout
            self.asyncInsert = asyncInsert
        }
    }

    /// Where and how this exporter inserts.
    public let configuration: Configuration
    private let client: any HTTPClient
    private let detectedFlavor = LockedBox<ClickHouseSchema.Flavor?>(nil)
    /// The last schema check; kept while it lets every table receive rows, redone otherwise (see `send`).
    let verifiedSchema = LockedBox<ClickHouseSchemaCheck?>(nil)

    /// Creates an exporter sending through `client`.
    public init(configuration: Configuration, client: any HTTPClient) {
        self.configuration = configuration
        self.client = client
        switch configuration.flavor {
        case .modern: detectedFlavor.withLock { $0 = .modern }
        case .legacy: detectedFlavor.withLock { $0 = .legacy }
        case .automatic: break
        }
    }

    /// Two inserts in flight: ClickHouse asks for few, large inserts; a second one hides the round trip.
    public var maxConcurrentExports: Int { 2 }

    /// Detects the flavour if needed, checks the table, inserts the rows; never throws (see `ExportResult`).
    public func export(_ batch: ExportBatch) async -> ExportResult {
        if case .failure(let failure) = await resolveFlavor() { return failure.exportResult }
        guard let entry = prepare(batch, at: Timestamp(nanosecondsSinceEpoch: 0)) else { return .success() }
        return await send(entry)
    }

    /// The rows of `batch`, compressed when worthwhile; nil until the flavour is known (the first export
    /// detects it), or for an empty batch.
    package func prepare(_ batch: ExportBatch, at time: Timestamp) -> SpoolEntry? {
        guard let flavor = detectedFlavor.withLock({ $0 }) else { return nil }
        var body = ClickHouseRowEncoder(flavor: flavor).encode(batch)
        guard !body.isEmpty else { return nil }
        var encoding: String?
        if let compressor = configuration.compressor, body.count >= configuration.compressionThreshold,
            let compressed = try? compressor.compress(body)
        {
            body = compressed
            encoding = compressor.contentEncoding
        }
        return SpoolEntry(
            signal: batch.payload.signal, itemCount: batch.itemCount, format: "clickhouse/\(flavor.rawValue)",
            contentType: "application/x-ndjson", contentEncoding: encoding, body: body, createdAt: time
        )
    }

    /// Inserts prepared rows (credentials are added now, never stored with the rows).
    package func send(_ entry: SpoolEntry) async -> ExportResult {
        guard let flavor = detectedFlavor.withLock({ $0 }), entry.format == "clickhouse/\(flavor.rawValue)" else {
            return .permanentFailure(reason: "spooled \(entry.format) rows do not match the server's schema flavour")
        }
        let table: String
        switch entry.signal {
        case .traces: table = configuration.names.traces
        case .metrics: table = configuration.names.metrics
        case .logs: table = configuration.names.logs
        }
        if let refusal = await schemaRefusal(for: entry.signal) { return refusal }
        var headers = authenticationHeaders()
        headers.append(HTTPHeader("Content-Type", entry.contentType))
        headers.append(HTTPHeader("User-Agent", SDKInfo.userAgent))
        if let encoding = entry.contentEncoding { headers.append(HTTPHeader("Content-Encoding", encoding)) }
        let query = "INSERT INTO \(Identifier.quote(configuration.names.database)).\(Identifier.quote(table)) FORMAT JSONEachRow"
        var url = configuration.endpoint + "/?query=" + URLQuery.encode(query)
        url += "&date_time_input_format=basic&input_format_skip_unknown_fields=0"
        if configuration.asyncInsert && flavor == .modern { url += "&async_insert=1&wait_for_async_insert=1" }
        let response: HTTPResponse
        do {
            response = try await client.send(
                HTTPRequest(method: "POST", url: url, headers: headers, body: entry.body, timeout: configuration.timeout))
        } catch {
            if case .invalidURL = error { return .permanentFailure(reason: "invalid ClickHouse endpoint") }
            return .retryable(reason: "ClickHouse unreachable (\(error))")
        }
        return ClickHouseFailure.classify(response).map { $0.exportResult } ?? .success(bytesSent: entry.body.count)
    }

    /// The server's version string, e.g. `18.16.1` or `24.8.6.70`.
    package func serverVersion() async throws(ClickHouseFailure) -> String {
        let text = try await run("SELECT version()")
        return text.trimmingCharacters(in: " \n\r\t")
    }

    /// Runs one SQL statement and returns the response body as text.
    @discardableResult
    package func run(_ statement: String) async throws(ClickHouseFailure) -> String {
        var headers = authenticationHeaders()
        headers.append(HTTPHeader("User-Agent", SDKInfo.userAgent))
        let response: HTTPResponse
        do {
            response = try await client.send(
                HTTPRequest(
                    method: "POST", url: configuration.endpoint + "/", headers: headers, body: Array(statement.utf8),
                    timeout: configuration.timeout
                ))
        } catch {
            throw ClickHouseFailure(code: nil, status: nil, message: "ClickHouse unreachable (\(error))", isPermanent: false)
        }
        if let failure = ClickHouseFailure.classify(response) { throw failure }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The flavour in use: configured, or detected once from the server's version.
    package func resolveFlavor() async -> Result<ClickHouseSchema.Flavor, ClickHouseFailure> {
        if let known = detectedFlavor.withLock({ $0 }) { return .success(known) }
        do {
            let version = try await serverVersion()
            let flavor = Self.flavor(forVersion: version)
            detectedFlavor.withLock { $0 = flavor }
            return .success(flavor)
        } catch {
            return .failure(error)
        }
    }

    /// Modern from 21.8 (when `Map` became generally available), legacy before.
    package static func flavor(forVersion version: String) -> ClickHouseSchema.Flavor {
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return .modern }
        return (parts[0], parts[1]) >= (21, 8) ? .modern : .legacy
    }

    private func authenticationHeaders() -> [HTTPHeader] {
        switch configuration.authentication {
        case .basic:
            let credentials = Base64.encode(Array("\(configuration.username):\(configuration.password)".utf8))
            return [HTTPHeader("Authorization", "Basic \(credentials)")]
        case .headers:
            return [HTTPHeader("X-ClickHouse-User", configuration.username), HTTPHeader("X-ClickHouse-Key", configuration.password)]
        }
    }
}

/// A ClickHouse error, classified by its code.
package struct ClickHouseFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// ClickHouse's error code (`Code: N`), when the server sent one.
    package let code: Int?
    /// The HTTP status, when there was a response.
    package let status: Int?
    /// The server's message, shortened; never contains the password (the SDK never sends it in a URL).
    package let message: String
    /// Whether retrying would fail the same way (auth, unknown table or column, parse errors).
    package let isPermanent: Bool

    /// `ClickHouse error CODE (HTTP STATUS): MESSAGE`, without credentials.
    package var description: String {
        "ClickHouse error" + (code.map { " \($0)" } ?? "") + (status.map { " (HTTP \($0))" } ?? "") + ": \(message)"
    }

    var exportResult: ExportResult {
        isPermanent ? .permanentFailure(reason: description) : .retryable(reason: description)
    }

    /// Codes that will fail the same way however often they are retried.
    static let permanentCodes: Set<Int> = [
        6, 16, 26, 27, 38, 41, 44, 47, 53, 60, 62, 69, 70, 72, 81, 115, 117, 164, 192, 193, 194, 195, 291, 497, 516,
    ]

    /// The failure in `response`, or nil for success.
    static func classify(_ response: HTTPResponse) -> ClickHouseFailure? {
        let code = response.header("x-clickhouse-exception-code").flatMap { Int($0) } ?? parseCode(response.body)
        if (200..<300).contains(response.status) && code == nil { return nil }
        let message =
            String(decoding: response.body.prefix(300), as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let permanent: Bool
        if let code {
            permanent = permanentCodes.contains(code)
        } else {
            permanent = (400..<500).contains(response.status) && response.status != 408 && response.status != 429
        }
        return ClickHouseFailure(code: code, status: response.status, message: message, isPermanent: permanent)
    }

    /// `Code: 60, e.displayText() = …` (old) or `Code: 60. DB::Exception: …` (new).
    static func parseCode(_ body: [UInt8]) -> Int? {
        let marker = Array("Code: ".utf8)
        let head = Array(body.prefix(64))
        guard head.count >= marker.count else { return nil }
        for start in 0...(head.count - marker.count) where Array(head[start..<(start + marker.count)]) == marker {
            let digits = head[(start + marker.count)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            return DecimalDigits.value(of: digits).map { Int(clamping: $0) }
        }
        return nil
    }
}

/// RFC 3986 percent-encoding for a query parameter value.
enum URLQuery {
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

/// Standard Base64 (RFC 4648) for Basic auth.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (chunk.count > 1 ? UInt32(chunk[1]) << 8 : 0) | (chunk.count > 2 ? UInt32(chunk[2]) : 0)
            output.append(alphabet[Int((value >> 18) & 63)])
            output.append(alphabet[Int((value >> 12) & 63)])
            output.append(chunk.count > 1 ? alphabet[Int((value >> 6) & 63)] : UInt8(ascii: "="))
            output.append(chunk.count > 2 ? alphabet[Int(value & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension ClickHouseExporter.Configuration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with the password shown as `<redacted>` (or `""` when not set).
    public var description: String { RedactedDescription.describe(self, secrets: ["password"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}
