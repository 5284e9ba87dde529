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
        let signature = RequestSignature.value(body: body, key: Array("verify-key-0123456789".utf8), at: now)
        let environment = ["AUTOMAGIK_TELEMETRY_SIGNING_KEY": "verify-key-0123456789"]

        let valid = CapturedOutput()
        #expect(await CommandLineTool.run(arguments: ["verify", "--signature", signature, path], environment: environment, output: valid) == 0)
        #expect(valid.out.hasPrefix("valid"))

        try Data(body + [0x20]).write(to: URL(fileURLWithPath: path))
        let tampered = CapturedOutput()
        #expect(await CommandLineTool.run(arguments: ["verify", "--signature", signature, path], environment: environment, output: tampered) == 1)
        #expect(tampered.out.contains("does not match"))

        let missing = CapturedOutput()
        #expect(await CommandLineTool.run(arguments: ["verify", path], environment: environment, output: missing) == 2)
    }
}
