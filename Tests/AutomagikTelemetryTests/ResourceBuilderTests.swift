import AutomagikTelemetry
import AutomagikTelemetryTestKit
import TelemetryCore
import TelemetrySystem
import Testing

@Suite struct ResourceBuilderTests {
    private func resource(host: HostInfo) async throws -> TelemetryResource {
        let exporter = RecordingExporter()
        var configuration = TelemetryConfiguration(projectName: "app", version: "1.0.0")
        configuration.enabled = true
        var dependencies = TelemetryDependencies.inMemory(clock: SystemClock(), exporter: exporter)
        dependencies.host = host
        let telemetry = try AutomagikTelemetry(configuration: configuration, dependencies: dependencies)
        telemetry.trackEvent("opened")
        await telemetry.shutdown()
        return try #require(exporter.batches.first?.resource)
    }

    @Test func appleDevicesReportTheirMarketingNameAndModel() async throws {
        var host = HostInfo(osType: "darwin", osVersion: "17.4.1", architecture: "arm64", runtimeVersion: "6.3", isContainer: false)
        host.osName = "iOS"
        host.deviceModelIdentifier = "iPhone15,2"
        let resource = try await resource(host: host)
        #expect(resource["os.name"] == .string("iOS"))
        #expect(resource["os.version"] == .string("17.4.1"))
        #expect(resource["device.model.identifier"] == .string("iPhone15,2"))
        #expect(resource["os.type"] == .string("darwin"))
    }

    @Test func otherHostsSendNeitherKey() async throws {
        let host = HostInfo(osType: "linux", osVersion: "6.1.0", architecture: "amd64", runtimeVersion: "6.3", isContainer: false)
        let resource = try await resource(host: host)
        #expect(resource["os.name"] == nil)
        #expect(resource["device.model.identifier"] == nil)
        #expect(resource["os.version"] == .string("6.1.0"))
    }
}
