import TelemetrySystem

/// What `AppLifecycle.install` observes on each Apple platform, and with which background-time API:
/// a plain value the Linux tests check for every platform, so the `#if` branches in `AppLifecycle`
/// only look up the platform and carry the plan out.
package struct LifecyclePlan: Sendable, Hashable {
    /// How the flush after backgrounding asks the system for time.
    package enum BackgroundTime: Sendable, Hashable {
        /// `UIApplication.beginBackgroundTask(withName:expirationHandler:)` — apps on UIKit platforms.
        case uiKitBackgroundTask
        /// `ProcessInfo.performExpiringActivity(withReason:using:)` — app extensions (which may not
        /// touch `UIApplication.shared`), watchOS and macOS.
        case expiringActivity
    }

    /// The notification posted when the app moves to the background, by its documented string value;
    /// nil where apps are not suspended that way (macOS).
    package var background: String?
    /// The notification posted before the app terminates; nil where none is posted (watchOS).
    package var termination: String?
    /// The background-time API for the flush.
    package var backgroundTime: BackgroundTime

    /// The plan for a process on `platform` whose main bundle ends in `bundleExtension`; nil when there is
    /// no app lifecycle to observe (a macOS command-line tool, or not an Apple platform).
    ///
    /// Notification names: Apple documents `UIApplication.didEnterBackgroundNotification`
    /// ("UIApplicationDidEnterBackgroundNotification") and `willTerminateNotification` for UIKit,
    /// `NSApplication.willTerminateNotification` ("NSApplicationWillTerminateNotification") for AppKit and
    /// `WKApplication.didEnterBackgroundNotification` ("WKApplicationDidEnterBackgroundNotification") for
    /// watchOS. App extensions never receive UIApplication's termination; they are suspended like apps.
    package static func plan(platform: ApplePlatform?, bundleExtension: String) -> LifecyclePlan? {
        guard let platform else { return nil }
        let isExtension = bundleExtension == "appex"
        switch platform {
        case .iOS, .tvOS, .visionOS, .macCatalyst:
            return LifecyclePlan(
                background: "UIApplicationDidEnterBackgroundNotification",
                termination: "UIApplicationWillTerminateNotification",
                backgroundTime: isExtension ? .expiringActivity : .uiKitBackgroundTask)
        case .macOS:
            guard platform.isAppProcess(bundleExtension: bundleExtension) else { return nil }
            return LifecyclePlan(
                background: nil, termination: "NSApplicationWillTerminateNotification", backgroundTime: .expiringActivity)
        case .watchOS:
            return LifecyclePlan(
                background: "WKApplicationDidEnterBackgroundNotification", termination: nil, backgroundTime: .expiringActivity)
        }
    }
}
