import TelemetrySystem
import Testing

@Suite struct ProcessShapeTests {
    @Test func linuxProcessesAreCommandLineToolsOrServers() {
        #expect(ProcessShape.current == .commandLineOrServer)
        #expect(ProcessShape.of(platform: nil, bundleExtension: "app") == .commandLineOrServer)
    }

    @Test(arguments: ApplePlatform.allCases)
    func appsAndExtensionsAreApps(platform: ApplePlatform) {
        #expect(ProcessShape.of(platform: platform, bundleExtension: "app") == .app)
        #expect(ProcessShape.of(platform: platform, bundleExtension: "appex") == .app)
    }

    @Test func aMacCommandLineToolIsOne() {
        #expect(ProcessShape.of(platform: .macOS, bundleExtension: "") == .commandLineOrServer)
        #expect(ProcessShape.of(platform: .iOS, bundleExtension: "") == .app, "every iOS process is an app")
    }
}
