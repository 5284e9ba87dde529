import Foundation
import Testing
import TelemetryCore
import TelemetryPrivacy
@testable import AutomagikTelemetryCLI

@Suite struct VerifyCommandTests {
    @Test func aCapturedRequestVerifiesAndATamperedOneDoesNot() async throws {
        let path = NSTemporaryDirectory() + "automagik-verify-\(UUID().uuidString).bin"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let body = Array("{\"resourceLogs\":[]}".utf8)
        try Data(body).write(to: URL(fileURLWithPath: path))
        let now = Timestamp(nanosecondsSinceEpoch: UInt64(Date().timeIntervalSince1970 * 1e9))
        let request = RequestSignature.Request(
            method: "POST", path: "/v1/logs", contentType: "application/x-protobuf", contentEncoding: "gzip", body: body)
        let signature = RequestSignature.value(
            for: request, key: Array("verify-key-0123456789".utf8), at: now, nonce: Array(repeating: 7, count: 16))
        let environment = ["AUTOMAGIK_TELEMETRY_SIGNING_KEY": "verify-key-0123456789"]
        let described = ["--path", "/v1/logs", "--content-type", "application/x-protobuf", "--content-encoding", "gzip"]

        let valid = CapturedOutput()
        #expect(
            await CommandLineTool.run(arguments: ["verify", "--signature", signature] + described + [path], environment: environment, output: valid)
                == 0)
        #expect(valid.out.hasPrefix("valid: POST /v1/logs"))
        #expect(valid.out.contains("nonce: 07070707"))

        let otherPath = CapturedOutput()
        let tracesPath = ["--path", "/v1/traces", "--content-type", "application/x-protobuf", "--content-encoding", "gzip"]
        #expect(
            await CommandLineTool.run(
                arguments: ["verify", "--signature", signature] + tracesPath + [path], environment: environment, output: otherPath) == 1)

        let bodyOnly = CapturedOutput()
        #expect(
            await CommandLineTool.run(
                arguments: ["verify", "--signature", signature, "--allow-v1", path], environment: environment, output: bodyOnly) == 1)
        #expect(bodyOnly.out.contains("does not match"), "a v2 header is always checked by v2")

        try Data(body + [0x20]).write(to: URL(fileURLWithPath: path))
        let tampered = CapturedOutput()
        #expect(
            await CommandLineTool.run(
                arguments: ["verify", "--signature", signature] + described + [path], environment: environment, output: tampered) == 1)
        #expect(tampered.out.contains("does not match"))

        let missing = CapturedOutput()
        #expect(await CommandLineTool.run(arguments: ["verify", path], environment: environment, output: missing) == 2)
    }
}
