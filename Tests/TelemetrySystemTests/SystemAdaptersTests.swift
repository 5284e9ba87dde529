import Foundation
import Testing
import TelemetryCore
@testable import TelemetrySystem

@Suite struct SystemAdaptersTests {
    @Test func clockReadsWallTime() {
        let reading = SystemClock().now().nanosecondsSinceEpoch
        let foundation = UInt64(Date().timeIntervalSince1970 * 1e9)
        #expect(reading > foundation - 5_000_000_000 && reading < foundation + 5_000_000_000)
    }

    @Test func randomSourceVaries() {
        let source = SystemRandomSource()
        #expect(Set((0..<16).map { _ in source.nextUInt64() }).count == 16)
    }

    @Test func environmentReadsLive() {
        setenv("AUTOMAGIK_TEST_VARIABLE", "42", 1)
        #expect(ProcessEnvironment().value(for: "AUTOMAGIK_TEST_VARIABLE") == "42")
        unsetenv("AUTOMAGIK_TEST_VARIABLE")
        #expect(ProcessEnvironment().value(for: "AUTOMAGIK_TEST_VARIABLE") == nil)
    }

    @Test func hostInfoIsCoarse() {
        let host = HostInfo.current()
        #expect(["linux", "darwin"].contains(host.osType))
        #expect(!host.osVersion.isEmpty)
        #expect(HostInfo.openTelemetryArchitecture("x86_64") == "amd64")
        #expect(HostInfo.openTelemetryArchitecture("aarch64") == "arm64")
        #expect(host.runtimeVersion.hasPrefix("6."))
    }
}
