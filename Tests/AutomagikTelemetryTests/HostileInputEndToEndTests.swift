import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryClickHouse
import TelemetryCore
import TelemetryGzip
import TelemetryMetrics
import TelemetryOTLP

/// Random and adversarial input through the whole pipeline: never a crash, and every output stays
/// valid — OTLP/JSON parses, OTLP protobuf decodes, ClickHouse rows are JSON objects.
@Suite struct HostileInputEndToEndTests {
    struct Generator {
        /// The test kit's one seeded generator (SplitMix64), so a failing case replays from its seed.
        let source: SeededRandomSource
        init(state: UInt64) { source = SeededRandomSource(seed: state) }
        func next() -> UInt64 { source.nextUInt64() }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

        static let fragments = [
            "", "a", "\u{0}", "\u{1B}[2J", "\"", "\\", "\n\r\t", "é", "🙂👍🏽", "\u{FEFF}", "\u{202E}", "日本", "💩",
            String(decoding: [0xED, 0xA0, 0x80], as: UTF8.self), String(decoding: [0xFF, 0xFE], as: UTF8.self),
            "jane@example.com", "4111 1111 1111 1111", "sk_live_abcdefgh12345678", "::", "1.2.3.4", "%s%n", "{\"k\":",
        ]

        mutating func string() -> String {
            if below(50) == 0 { return String(repeating: "x", count: 100_000 + below(10)) }
            return (0..<below(6)).map { _ in Self.fragments[below(Self.fragments.count)] }.joined()
        }

        mutating func value(depth: Int = 0) -> AttributeValue {
            switch below(depth > 12 ? 5 : 6) {
            case 0: return .string(string())
            case 1: return .int(Int64(bitPattern: next()))
            case 2: return .double([Double.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1][below(7)])
            case 3: return .bool(below(2) == 0)
            case 4: return .double(Double(bitPattern: next()))
            default: return .array((0..<below(4)).map { _ in value(depth: depth + 1) })
            }
        }

        mutating func attributes() -> TelemetryAttributes {
            let count = below(20) == 0 ? 300 : below(8)
            return TelemetryAttributes((0..<count).map { _ in (string(), value()) })
        }
    }

    @Test(arguments: [OTLPHTTPExporter.Encoding.json, .protobuf])
    func randomInputKeepsEveryOutputValid(encoding: OTLPHTTPExporter.Encoding) async throws {
        var random = Generator(state: 0xBAD_1DEA)
        let http = RecordingHTTPClient()
        var configuration = TelemetryConfiguration.test("fuzz")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://c.example.com", encoding: encoding))
        configuration.batching.batchSize = 50
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: ManualClock(), random: SeededRandomSource(), environment: DictionaryEnvironment(),
                stateStore: InMemoryStateStore(), host: Harness.host, httpClient: http
            )
        )
        for _ in 0..<300 {
            switch random.below(4) {
            case 0: telemetry.trackEvent(random.string(), attributes: random.attributes())
            case 1: telemetry.trackLog(random.string(), severity: Severity.allCases[random.below(6)], attributes: random.attributes())
            case 2:
                telemetry.trackError(type: random.string(), message: random.string(), attributes: random.attributes(), stackTrace: random.string())
            default:
                telemetry.trackMetric(
                    random.string(), value: [1, -1, .nan, 1e308, 0][random.below(5)],
                    type: InstrumentKind.allCases[random.below(4)], attributes: random.attributes())
            }
        }
        await telemetry.flush()
        #expect(!http.requests.isEmpty)
        for request in http.requests {
            let body = request.header("Content-Encoding") == "gzip" ? try GzipDecompressor.decompress(request.body) : request.body
            switch encoding {
            case .json:
                #expect((try? JSONSerialization.jsonObject(with: Data(body))) != nil, "invalid JSON body")
            case .protobuf:
                #expect(Self.decodesFully(body), "undecodable protobuf body")
            }
        }
    }

    @Test func clickHouseRowsStayValidJSON() async throws {
        var random = Generator(state: 42)
        let exporter = RecordingExporter()
        let telemetry = try AutomagikTelemetry(
            configuration: .test("fuzz"),
            dependencies: TelemetryDependencies(
                clock: ManualClock(), environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(),
                host: Harness.host, exporter: exporter)
        )
        for _ in 0..<200 {
            telemetry.trackEvent(random.string(), attributes: random.attributes())
            telemetry.trackLog(random.string(), attributes: random.attributes())
            telemetry.trackMetric("m\(random.below(3))", value: Double(random.below(100)), type: .histogram, attributes: random.attributes())
        }
        await telemetry.flush()
        for flavor in ClickHouseSchema.Flavor.allCases {
            for batch in exporter.batches {
                let rows = String(decoding: ClickHouseRowEncoder(flavor: flavor).encode(batch), as: UTF8.self)
                for line in rows.split(separator: "\n") {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any])
                }
            }
        }
    }

    /// Every length-delimited field that looks like a message decodes too, recursively (bounded).
    static func decodesFully(_ bytes: [UInt8], depth: Int = 0) -> Bool {
        guard let fields = ProtobufReader.fields(of: bytes) else { return false }
        guard depth < 12 else { return true }
        for (_, value) in fields {
            if case .lengthDelimited(let inner) = value, let nested = ProtobufReader.fields(of: inner), !nested.isEmpty {
                _ = decodesFully(inner, depth: depth + 1)
            }
        }
        return true
    }
}
