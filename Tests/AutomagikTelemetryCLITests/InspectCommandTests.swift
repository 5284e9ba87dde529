import Foundation
import Testing
@testable import AutomagikTelemetryCLI

@Suite struct InspectCommandTests {
    @Test(arguments: [
        ["event", "checkout.completed", "user_email=jane@example.com", "api_key=sk_live_51HxDemoKeyDoNotShip", "items:int=3"],
        ["log", "login failed for jane@example.com", "--severity", "warn"],
        ["metric", "orders", "3", "--type", "counter", "card=4111 1111 1111 1111"],
        ["error", "ImportError", "cannot read /home/jane/contacts.csv"],
    ])
    func printsTheSanitisedRequestAndSendsNothing(arguments: [String]) async throws {
        let home = NSTemporaryDirectory() + "automagik-inspect-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let output = CapturedOutput()
        let status = await CommandLineTool.run(
            arguments: ["inspect"] + arguments,
            environment: ["HOME": home, "AUTOMAGIK_TELEMETRY_ENDPOINT": "http://127.0.0.1:9"], output: output
        )
        #expect(status == 0, "\(output.err)")
        let lines = output.out.split(separator: "\n")
        #expect(lines.count == 1, "one request")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object.keys.contains { $0.hasPrefix("resource") })
        for secret in ["jane@example.com", "sk_live_51HxDemoKeyDoNotShip", "4111 1111", "/home/jane"] {
            #expect(!output.out.contains(secret), "\(secret) would have left the process")
        }
        #expect(output.err.contains("privacy:") && output.err.contains("nothing was sent"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty, "no state file, no id, no salt")
    }

    @Test func optOutStillWins() async throws {
        let output = CapturedOutput()
        let status = await CommandLineTool.run(arguments: ["inspect", "event", "x"], environment: ["DO_NOT_TRACK": "1"], output: output)
        #expect(status == 1 && output.out.isEmpty && output.err.contains("DO_NOT_TRACK"))
    }
}
