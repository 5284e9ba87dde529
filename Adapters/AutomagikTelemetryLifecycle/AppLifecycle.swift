import AutomagikTelemetry
@_spi(Internals) import TelemetryCore
import TelemetrySystem

#if canImport(UIKit) || canImport(AppKit) || canImport(WatchKit)
import Foundation
#endif
#if canImport(UIKit) && !os(watchOS)
import UIKit
#endif

/// Connects a client to the app's lifecycle on Apple platforms: flushes when the app moves to the
/// background (inside a background-time assertion) and shuts down at termination. This product is
/// separate so that servers and command-line tools never link a UI framework; everywhere else
/// `install` returns nil and does nothing.
///
/// ```swift
/// let telemetry = try AutomagikTelemetry(configuration: configuration)
/// let lifecycle = AppLifecycle.install(for: telemetry)  // keep it as long as the client
/// ```
public enum AppLifecycle {
    /// Starts observing the app's lifecycle for `telemetry`; observing stops when the returned value is
    /// released. Nil where there is no app lifecycle (Linux, command-line tools).
    public static func install(
        for telemetry: AutomagikTelemetry, options: AppLifecycleOptions = AppLifecycleOptions()
    )
        -> AppLifecycleObservation?
    {
        #if canImport(UIKit) || canImport(AppKit) || canImport(WatchKit)
        guard let plan = LifecyclePlan.plan(platform: ApplePlatform.current, bundleExtension: Bundle.main.bundleURL.pathExtension)
        else { return nil }
        let flusher = AppLifecycleFlusher(telemetry: telemetry, options: options, execution: execution(for: plan.backgroundTime))
        return AppLifecycleObservation(
            flusher: flusher, background: plan.background.map { Notification.Name($0) },
            termination: plan.termination.map { Notification.Name($0) })
        #else
        return nil
        #endif
    }

    #if canImport(UIKit) || canImport(AppKit) || canImport(WatchKit)
    private static func execution(for backgroundTime: LifecyclePlan.BackgroundTime) -> any BackgroundExecution {
        #if canImport(UIKit) && !os(watchOS)
        if backgroundTime == .uiKitBackgroundTask { return UIKitBackgroundExecution() }
        #endif
        return ExpiringActivityExecution()
    }
    #endif
}

#if canImport(UIKit) || canImport(AppKit) || canImport(WatchKit)
/// Observes lifecycle notifications for one client until released. The notifications are named by their
/// documented string values (`UIApplicationDidEnterBackgroundNotification`, …), which keeps the UI
/// frameworks' main-actor types out of this file.
public final class AppLifecycleObservation: Sendable {
    /// The flusher the notifications drive.
    public let flusher: AppLifecycleFlusher
    // `NSObjectProtocol` tokens are immutable references handed back to NotificationCenter once, in
    // deinit; the array is never mutated after init.
    private nonisolated(unsafe) let tokens: [any NSObjectProtocol]

    init(flusher: AppLifecycleFlusher, background: Notification.Name?, termination: Notification.Name?) {
        self.flusher = flusher
        var tokens: [any NSObjectProtocol] = []
        let center = NotificationCenter.default
        if let background {
            tokens.append(
                center.addObserver(forName: background, object: nil, queue: nil) { _ in
                    Task { await flusher.appDidEnterBackground() }
                })
        }
        if let termination {
            tokens.append(center.addObserver(forName: termination, object: nil, queue: nil) { _ in flusher.appWillTerminate() })
        }
        self.tokens = tokens
    }

    deinit {
        for token in tokens { NotificationCenter.default.removeObserver(token) }
    }
}

/// Background time through `ProcessInfo.performExpiringActivity`: the extension-safe API, also used on
/// watchOS and macOS. The activity's block holds its thread until `end` (or expiration) releases it.
struct ExpiringActivityExecution: BackgroundExecution {
    private static let activities = LockedBox<(next: Int, waiting: [Int: DispatchSemaphore])>((0, [:]))

    func begin(name: String, onExpiration: @escaping @Sendable () -> Void) async -> Int {
        let release = DispatchSemaphore(value: 0)
        let token = Self.activities.withLock { state -> Int in
            state.next += 1
            state.waiting[state.next] = release
            return state.next
        }
        ProcessInfo.processInfo.performExpiringActivity(withReason: name) { expired in
            if expired {
                onExpiration()
                release.signal()
            } else {
                release.wait()
            }
        }
        return token
    }

    func end(_ token: Int) {
        Self.activities.withLock { $0.waiting.removeValue(forKey: token) }?.signal()
    }
}
#else
/// Where there is no app lifecycle this type exists only to keep `install`'s signature the same.
public final class AppLifecycleObservation: Sendable {
    /// The flusher (never created on these platforms).
    public let flusher: AppLifecycleFlusher

    init(flusher: AppLifecycleFlusher) {
        self.flusher = flusher
    }
}
#endif

#if canImport(UIKit) && !os(watchOS)
/// UIKit's background task: `beginBackgroundTask(withName:expirationHandler:)` / `endBackgroundTask`,
/// both on the main actor.
struct UIKitBackgroundExecution: BackgroundExecution {
    func begin(name: String, onExpiration: @escaping @Sendable () -> Void) async -> Int {
        await MainActor.run {
            UIApplication.shared.beginBackgroundTask(withName: name) { onExpiration() }.rawValue
        }
    }

    func end(_ token: Int) {
        Task { @MainActor in UIApplication.shared.endBackgroundTask(UIBackgroundTaskIdentifier(rawValue: token)) }
    }
}
#endif
