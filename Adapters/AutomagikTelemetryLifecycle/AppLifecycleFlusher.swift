import AutomagikTelemetry
import Dispatch
@_spi(Internals) import TelemetryCore

/// Asks the operating system for time to finish work after the app leaves the foreground: UIKit's
/// background tasks in apps, `ProcessInfo.performExpiringActivity` in app extensions and on watchOS.
///
/// Contract for implementers: `begin` returns once the assertion is held (hopping to the main actor if
/// the platform needs it); if the system takes the time back early it calls `onExpiration` (at most
/// once, on any thread). `end` is called exactly once per `begin`, whichever comes first — the work
/// finishing or the expiration — and must be safe from any thread.
public protocol BackgroundExecution: Sendable {
    /// Starts a background-time assertion named `name`; returns a token for `end`.
    func begin(name: String, onExpiration: @escaping @Sendable () -> Void) async -> Int
    /// Ends the assertion `token`.
    func end(_ token: Int)
}

/// When the app lifecycle flushes (defaults: both on). Deadlines stay well inside the system's
/// allowance (iOS grants about 30 s in the background and about 5 s at termination).
public struct AppLifecycleOptions: Sendable, Hashable {
    /// Flush when the app moves to the background, inside a background-time assertion.
    public var flushOnBackground = true
    /// Shut the client down, delivering what it can, when the app is about to terminate.
    public var flushOnTermination = true
    /// Longest a background flush runs before the assertion is released (data not sent stays buffered).
    public var backgroundDeadline: Duration = .seconds(10)
    /// Longest the termination handler blocks the main thread.
    public var terminationDeadline: Duration = .seconds(2)

    /// Both flushes on, default deadlines.
    public init() {}
}

/// Flushes a client at the app's lifecycle moments. Platform-neutral: the Apple glue
/// (`AppLifecycle.install`) feeds it notifications; tests feed it directly with a fake
/// `BackgroundExecution`.
public final class AppLifecycleFlusher: Sendable {
    private let telemetry: AutomagikTelemetry
    private let options: AppLifecycleOptions
    private let execution: any BackgroundExecution

    /// A flusher for `telemetry` using `execution` for background time.
    public init(telemetry: AutomagikTelemetry, options: AppLifecycleOptions = AppLifecycleOptions(), execution: any BackgroundExecution) {
        self.telemetry = telemetry
        self.options = options
        self.execution = execution
    }

    /// The app moved to the background: flushes within `backgroundDeadline` inside an assertion that
    /// is ended exactly once — when the flush returns, or at once if the system expires it first.
    /// Returns when the flush has returned. Does nothing when `flushOnBackground` is off.
    @discardableResult
    public func appDidEnterBackground() async -> FlushReport? {
        guard options.flushOnBackground else { return nil }
        let ended = AtomicFlag(false)
        let token = LockedBox<Int?>(nil)
        let endOnce: @Sendable () -> Void = { [execution] in
            // Expiration may fire before `begin` has returned its token: whoever sees both ends it.
            guard let value = token.withLock({ $0 }), ended.claim() else { return }
            execution.end(value)
        }
        let expired = AtomicFlag(false)
        let begun = await execution.begin(name: "automagik-telemetry flush") {
            _ = expired.claim()
            endOnce()
        }
        token.withLock { $0 = begun }
        if expired.load() { endOnce() }
        let report = await telemetry.flush(deadline: options.backgroundDeadline)
        endOnce()
        return report
    }

    /// The app is about to terminate: shuts the client down, blocking the calling (main) thread for at
    /// most `terminationDeadline` plus 250 ms. What is not delivered by then is spooled (with a spool)
    /// or counted as `shutdown`. Does nothing when `flushOnTermination` is off.
    public func appWillTerminate() {
        guard options.flushOnTermination else { return }
        let done = DispatchSemaphore(value: 0)
        let (telemetry, deadline) = (self.telemetry, options.terminationDeadline)
        Task.detached {
            _ = await telemetry.shutdown(deadline: deadline)
            done.signal()
        }
        let (seconds, attoseconds) = deadline.components
        let milliseconds = Int(clamping: seconds) &* 1000 &+ Int(attoseconds / 1_000_000_000_000_000) &+ 250
        _ = done.wait(timeout: .now() + .milliseconds(milliseconds))
    }
}
