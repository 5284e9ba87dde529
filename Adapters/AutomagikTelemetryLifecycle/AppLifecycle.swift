import AutomagikTelemetry
@_spi(Internals) import TelemetryCore

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
        #if canImport(UIKit) && !os(watchOS)
        let execution: any BackgroundExecution = isAppExtension ? ExpiringActivityExecution() : UIKitBackgroundExecution()
        let flusher = AppLifecycleFlusher(telemetry: telemetry, options: options, execution: execution)
        return AppLifecycleObservation(
            flusher: flusher, background: Notification.Name("UIApplicationDidEnterBackgroundNotification"),
            termination: Notification.Name("UIApplicationWillTerminateNotification"))
        #elseif canImport(AppKit)
        guard Bundle.main.bundleURL.pathExtension == "app" else { return nil }  // a command-line tool
        let flusher = AppLifecycleFlusher(telemetry: telemetry, options: options, execution: ExpiringActivityExecution())
        return AppLifecycleObservation(
            flusher: flusher, background: nil, termination: Notification.Name("NSApplicationWillTerminateNotification"))
        #elseif canImport(WatchKit)
        let flusher = AppLifecycleFlusher(telemetry: telemetry, options: options, execution: ExpiringActivityExecution())
        return AppLifecycleObservation(
            flusher: flusher, background: Notification.Name("WKApplicationDidEnterBackgroundNotification"), termination: nil)
        #else
        return nil
        #endif
    }

    #if canImport(UIKit) && !os(watchOS)
    /// App extensions may not use `UIApplication.shared`; they are bundles ending in `.appex`.
    static var isAppExtension: Bool { Bundle.main.bundleURL.pathExtension == "appex" }
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
