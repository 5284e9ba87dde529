import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Testing
import TelemetryCore
import TelemetryPrivacy

/// With a signing key every OTLP request carries a signature over its exact (compressed) body.
@Suite struct RequestSigningTests {
    @Test(arguments: [true, false])
    func everyRequestIsSignedOverTheBytesSent(gzip: Bool) async throws {
        let http = RecordingHTTPClient()
        let clock = ManualClock()
        var configuration = TelemetryConfiguration.test("signed")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://collector.example.com"))
        configuration.exporter.compression = gzip
        configuration.exporter.compressionThreshold = 1
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: .inMemory(
                clock: clock, environment: ["AUTOMAGIK_TELEMETRY_SIGNING_KEY": "fleet-signing-key-0123456789"],
                exporter: nil, httpClient: http)
        )
        telemetry.trackEvent("e")
        telemetry.trackLog("l")
        await telemetry.flush()
        #expect(http.requests.count == 2)
        let key = Array("fleet-signing-key-0123456789".utf8)
        var nonces: Set<String> = []
        for request in http.requests {
            let header = try #require(request.header(RequestSignature.headerName))
            guard
                case .success(let verified) = RequestSignature.verify(header, request: RequestSignature.Request(request), key: key, now: clock.now()),
                verified.coversRequest, verified.nonce?.count == 32
            else {
                Issue.record("the signature does not verify over the request as sent")
                continue
            }
            nonces.insert(verified.nonce ?? "")
            #expect((request.header("Content-Encoding") == "gzip") == gzip)
        }
        #expect(nonces.count == 2, "every request has its own nonce")
        #expect(!telemetry.status.description.contains("fleet-signing-key"), "the key is never printed")
        #expect(telemetry.status.settings.contains { $0.name == "exporter.signingKey" && $0.value == "<redacted>" })
    }

    @Test func aShortKeyFromCodeIsRefusedAndFromTheEnvironmentIgnored() throws {
        var configuration = TelemetryConfiguration.test("signed")
        configuration.exporter.signingKey = "short"
        #expect(throws: ConfigurationError.self) { try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory()) }
        let fromEnvironment = try AutomagikTelemetry(
            configuration: .test("signed"), dependencies: .inMemory(environment: ["AUTOMAGIK_TELEMETRY_SIGNING_KEY": "short"])
        )
        #expect(fromEnvironment.status.environmentProblems.contains { $0.contains("AUTOMAGIK_TELEMETRY_SIGNING_KEY") })
    }
}
