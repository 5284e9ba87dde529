import Testing
import TelemetrySystem

/// The Apple-only code's decisions, for every Apple platform, run on Linux.
@Suite struct ApplePlatformTests {
    @Test func noApplePlatformHere() {
        #expect(ApplePlatform.current == nil)
    }

    @Test(arguments: ApplePlatform.allCases)
    func everyProcessOnAMobilePlatformIsAnApp(platform: ApplePlatform) {
        #expect(platform.isAppProcess(bundleExtension: "app"))
        #expect(platform.isAppProcess(bundleExtension: "appex"))
        #expect(platform.isAppProcess(bundleExtension: "") == (platform != .macOS), "a macOS tool has no bundle")
    }

    @Test(arguments: ApplePlatform.allCases)
    func appsKeepStateInApplicationSupportUnderTheirBundleIdentifier(platform: ApplePlatform) {
        let support = platform.applicationSupport(
            bundleExtension: "app", groupContainer: nil, userApplicationSupport: "/U/Library/Application Support",
            bundleIdentifier: "com.example.app")
        #expect(support == "/U/Library/Application Support/com.example.app")
    }

    @Test func anAppGroupSharesOneFolderBetweenAnAppAndItsExtensions() {
        let app = ApplePlatform.iOS.applicationSupport(
            bundleExtension: "app", groupContainer: "/G", userApplicationSupport: "/A", bundleIdentifier: "com.example.app")
        let widget = ApplePlatform.iOS.applicationSupport(
            bundleExtension: "appex", groupContainer: "/G", userApplicationSupport: "/W", bundleIdentifier: "com.example.app.widget")
        #expect(app == "/G/Library/Application Support")
        #expect(widget == app)
    }

    @Test func aCommandLineToolOnMacOSKeepsTheHomeLayout() {
        let support = ApplePlatform.macOS.applicationSupport(
            bundleExtension: "", groupContainer: nil, userApplicationSupport: "/U/Library/Application Support", bundleIdentifier: nil)
        #expect(support == nil)
    }

    @Test func aMissingOrOddBundleIdentifierGetsTheSDKsFolder() {
        for identifier in [nil, "", "../escape", ".hidden"] {
            let support = ApplePlatform.macOS.applicationSupport(
                bundleExtension: "app", groupContainer: nil, userApplicationSupport: "/U", bundleIdentifier: identifier)
            #expect(support == "/U/automagik-telemetry")
        }
    }

    @Test func uiKitExistsOnlyWhereItShould() {
        #expect(ApplePlatform.allCases.filter(\.hasUIKitApplication) == [.iOS, .tvOS, .visionOS, .macCatalyst])
    }
}
