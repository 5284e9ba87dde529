@testable import AutomagikTelemetryLifecycle
import TelemetrySystem
import Testing

/// What the Apple-only lifecycle code observes on each platform, decided here on Linux.
@Suite struct LifecyclePlanTests {
    @Test func nothingToObserveOffApplePlatforms() {
        #expect(LifecyclePlan.plan(platform: nil, bundleExtension: "app") == nil)
        #expect(LifecyclePlan.plan(platform: ApplePlatform.current, bundleExtension: "") == nil)
    }

    @Test(arguments: [ApplePlatform.iOS, .tvOS, .visionOS, .macCatalyst])
    func uiKitAppsFlushOnBackgroundInsideABackgroundTask(platform: ApplePlatform) throws {
        let plan = try #require(LifecyclePlan.plan(platform: platform, bundleExtension: "app"))
        #expect(plan.background == "UIApplicationDidEnterBackgroundNotification")
        #expect(plan.termination == "UIApplicationWillTerminateNotification")
        #expect(plan.backgroundTime == .uiKitBackgroundTask)
    }

    @Test(arguments: [ApplePlatform.iOS, .tvOS, .visionOS, .macCatalyst])
    func appExtensionsNeverTouchUIApplication(platform: ApplePlatform) throws {
        let plan = try #require(LifecyclePlan.plan(platform: platform, bundleExtension: "appex"))
        #expect(plan.backgroundTime == .expiringActivity)
    }

    @Test func macAppsShutDownAtTerminationAndToolsAreLeftAlone() throws {
        let plan = try #require(LifecyclePlan.plan(platform: .macOS, bundleExtension: "app"))
        #expect(plan.background == nil)
        #expect(plan.termination == "NSApplicationWillTerminateNotification")
        #expect(plan.backgroundTime == .expiringActivity)
        #expect(LifecyclePlan.plan(platform: .macOS, bundleExtension: "") == nil, "a command-line tool")
    }

    @Test func watchAppsFlushOnBackground() throws {
        let plan = try #require(LifecyclePlan.plan(platform: .watchOS, bundleExtension: "app"))
        #expect(plan.background == "WKApplicationDidEnterBackgroundNotification")
        #expect(plan.termination == nil)
        #expect(plan.backgroundTime == .expiringActivity)
    }
}
