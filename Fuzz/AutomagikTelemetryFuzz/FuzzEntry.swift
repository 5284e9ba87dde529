import AutomagikTelemetry
import Foundation
import TelemetryBatching
import TelemetryClickHouse
import TelemetryCore
import TelemetryOTLP
import TelemetryPrivacy
import TelemetrySystem

/// libFuzzer's entry: one binary, the parser under test chosen by `AUTOMAGIK_FUZZ_TARGET` (read once).
/// Every target feeds bytes that come from outside the app's code — a server's answer, the operator's
/// environment, a file on disk — to the parser that reads them; a trap, an overflow or an ASan report is
/// a finding. `Fuzz/run.sh` builds it with `-sanitize=fuzzer,address` and runs each target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

enum FuzzTarget: String, CaseIterable {
    case retryAfter = "retry-after"
    case otlpResponse = "otlp-response"
    case environment
    case endpoint
    case signature
    case spoolEntry = "spool-entry"
    case clickhouseAnswers = "clickhouse-answers"
    case privacy
    case humanText = "human-text"
    case stateFiles = "state-files"

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["AUTOMAGIK_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("AUTOMAGIK_FUZZ_TARGET must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .retryAfter:
            // The clock is an input too: the first 8 bytes pick "now".
            _ = RetryAfter.parse(text, now: Timestamp(nanosecondsSinceEpoch: Self.word(bytes)))
        case .otlpResponse:
            _ = ProtobufReader.fields(of: bytes)
            for encoding in OTLPHTTPExporter.Encoding.allCases {
                for contentType in ["application/json", "application/x-protobuf", ""] {
                    let response = HTTPResponse(status: 200, headers: ["content-type": contentType], body: bytes)
                    _ = OTLPHTTPExporter.rejectedItems(in: response, encoding: encoding)
                }
            }
        case .environment:
            _ = try? ResolvedConfiguration(Self.configuration, environment: DictionaryEnvironment(Self.environment(bytes)))
        case .endpoint:
            var configuration = Self.configuration
            configuration.backend = .otlp(OTLPSettings(endpoint: text, tracesEndpoint: text))
            _ = try? ResolvedConfiguration(configuration, environment: DictionaryEnvironment())
            configuration.backend = .clickhouse(ClickHouseSettings(endpoint: text))
            _ = try? ResolvedConfiguration(configuration, environment: DictionaryEnvironment())
        case .signature:
            let key = Array("fuzz-signing-key".utf8)
            let request = RequestSignature.Request(method: "POST", path: text, contentType: text, contentEncoding: "", body: bytes)
            _ = RequestSignature.verify(
                text, request: request, key: key, now: Timestamp(nanosecondsSinceEpoch: Self.word(bytes)), allowBodyOnly: true)
            _ = RequestSignature.Request(HTTPRequest(url: text, timeout: .seconds(1))).path
        case .spoolEntry:
            _ = DirectorySpool.deserialize(bytes)
        case .clickhouseAnswers:
            let halves = text.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            let check = ClickHouseSchemaCheck(
                schema: ClickHouseSchema(), columns: String(halves[0]), versions: halves.count > 1 ? String(halves[1]) : "")
            for table in ClickHouseSchema.Table.allCases { _ = check.problem(for: table) }
            _ = ClickHouseExporter.flavor(forVersion: text)
        case .privacy:
            var counts = RedactionCounts()
            _ = Self.sanitizer.sanitize(text: text, counts: &counts)
        case .stateFiles:
            // The bytes become the saved preference, anonymous id and salt (split at NUL), read back through
            // the file store and the consent decision as a start-up would.
            let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map { Array($0) }
            for (index, item) in [StoredItem.consent, .anonymousID, .hashSalt].enumerated() {
                let content = index < parts.count ? parts[index] : []
                _ = content.withUnsafeBytes { raw in
                    let descriptor = open(Self.stateStore.path(of: item), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                    defer { close(descriptor) }
                    return write(descriptor, raw.baseAddress, raw.count)
                }
            }
            _ = ConsentDecision.decide(codeSetting: nil, runtimeChoice: nil, environment: DictionaryEnvironment(), store: Self.stateStore)
            _ = Self.stateStore.read(.anonymousID).map(RandomUUID.isValid)
            _ = Self.stateStore.read(.hashSalt)?.utf8.count
        case .humanText:
            _ = HumanText.printable(HumanText.withoutUserinfo(text))
            _ = SecretScrubber(secrets: ["Zq9+Xw2=Lm4+Pt7", "s3cr3t"]).scrub(text)
        }
    }

    /// A private state directory for the `state-files` target, made once.
    static let stateStore: FileStateStore = {
        let home = NSTemporaryDirectory() + "automagik-fuzz-state-\(getpid())"
        let store = FileStateStore(homeDirectory: home)
        mkdir(home, 0o700)
        mkdir(store.stateDirectory, 0o700)
        return store
    }()

    static let sanitizer = PrivacySanitizer(policy: .default, salt: Array("fuzz-salt".utf8))

    static let configuration: TelemetryConfiguration = {
        var configuration = TelemetryConfiguration(projectName: "fuzz", version: "1.0.0")
        configuration.enabled = true
        return configuration
    }()

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Lines of `<selector byte><value>`: the selector picks one of the variables the SDK reads, so
    /// the fuzzer reaches every reader instead of guessing names.
    static func environment(_ bytes: [UInt8]) -> [String: String] {
        var variables: [String: String] = [:]
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let selector = line.first else { continue }
            let name = variableNames[Int(selector) % variableNames.count]
            variables[name] = String(decoding: line.dropFirst(), as: UTF8.self)
        }
        return variables
    }

    static let variableNames = [
        "AUTOMAGIK_TELEMETRY_BACKEND", "AUTOMAGIK_TELEMETRY_BATCH_SIZE", "AUTOMAGIK_TELEMETRY_CLICKHOUSE_ASYNC_INSERT",
        "AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE", "AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT", "AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR",
        "AUTOMAGIK_TELEMETRY_CLICKHOUSE_LOGS_TABLE", "AUTOMAGIK_TELEMETRY_CLICKHOUSE_METRICS_TABLE",
        "AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD", "AUTOMAGIK_TELEMETRY_CLICKHOUSE_TABLE", "AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME",
        "AUTOMAGIK_TELEMETRY_COMPRESSION", "AUTOMAGIK_TELEMETRY_COMPRESSION_THRESHOLD", "AUTOMAGIK_TELEMETRY_DRY_RUN",
        "AUTOMAGIK_TELEMETRY_ENABLED", "AUTOMAGIK_TELEMETRY_ENDPOINT", "AUTOMAGIK_TELEMETRY_EVENT_RATE_LIMIT",
        "AUTOMAGIK_TELEMETRY_FLUSH_INTERVAL", "AUTOMAGIK_TELEMETRY_LOGS_ENABLED", "AUTOMAGIK_TELEMETRY_LOGS_ENDPOINT",
        "AUTOMAGIK_TELEMETRY_MAX_RETRIES", "AUTOMAGIK_TELEMETRY_MEMORY_BUDGET", "AUTOMAGIK_TELEMETRY_METRICS_ENDPOINT",
        "AUTOMAGIK_TELEMETRY_ORGANIZATION", "AUTOMAGIK_TELEMETRY_QUEUE_CAPACITY", "AUTOMAGIK_TELEMETRY_RETRY_BACKOFF_BASE",
        "AUTOMAGIK_TELEMETRY_SALT", "AUTOMAGIK_TELEMETRY_SESSION_TIMEOUT", "AUTOMAGIK_TELEMETRY_SIGNING_KEY",
        "AUTOMAGIK_TELEMETRY_SPOOL_DIR", "AUTOMAGIK_TELEMETRY_SPOOL_MAX_BYTES", "AUTOMAGIK_TELEMETRY_TIMEOUT",
        "AUTOMAGIK_TELEMETRY_VERBOSE", "CI", "DO_NOT_TRACK", "ENVIRONMENT", "OTEL_ATTRIBUTE_COUNT_LIMIT",
        "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "OTEL_BLRP_MAX_QUEUE_SIZE", "OTEL_BLRP_SCHEDULE_DELAY",
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_SCHEDULE_DELAY", "OTEL_EXPORTER_OTLP_CERTIFICATE",
        "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_EXPORTER_OTLP_COMPRESSION",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
        "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_LOG_LEVEL", "OTEL_METRIC_EXPORT_INTERVAL",
        "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
        "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER",
    ]
}
