import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore
import TelemetryHTTP

/// URLSession-only behaviour; the port's contract is checked in `HTTPClientContractTests`.
@Suite struct URLSessionHTTPClientTests {
    @Test func unauthorizedWithAChallengeIsReturnedAsAResponse() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 401, headers: ["WWW-Authenticate": "Basic realm=\"x\""], body: Array("Code: 193, wrong password".utf8))
        }
        defer { server.stop() }
        let response = try await URLSessionHTTPClient().send(
            HTTPRequest(
                url: server.url, headers: [HTTPHeader("Authorization", "Basic dTp3cm9uZw==")], body: [1], timeout: .seconds(5)
            ))
        #expect(response.status == 401, "the status survives URLSession's challenge handling (the body does not)")
    }
}
