#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
@_spi(Internals) import TelemetryCore

/// Flushes registered clients when the process exits normally (`exit()` or returning from `main`),
/// each within its deadline. Opt-in: see `TelemetryConfiguration.flushOnExit` or
/// `AutomagikTelemetry.installExitHook(deadline:)`. Crashes and signals end the process without it.
enum ExitHook {
    private struct Registration {
        weak var client: AutomagikTelemetry?
        let deadline: Duration
    }

    private static let registrations = LockedBox<[Registration]>([])
    private static let installed = LockedBox(false)

    static func register(_ client: AutomagikTelemetry, deadline: Duration) {
        registrations.withLock { $0.append(Registration(client: client, deadline: deadline)) }
        let first = installed.withLock { installed -> Bool in
            defer { installed = true }
            return !installed
        }
        if first { atexit { ExitHook.run() } }
    }

    /// Runs at exit on the exiting thread: shuts every live client down, waiting at most its deadline
    /// plus a second, so a hung endpoint can delay exit but never block it.
    static func run() {
        let pending = registrations.withLock { registrations -> [Registration] in
            defer { registrations = [] }
            return registrations
        }
        for registration in pending {
            guard let client = registration.client else { continue }
            let done = DispatchSemaphore(value: 0)
            let deadline = registration.deadline
            Task.detached {
                await client.shutdown(deadline: deadline)
                done.signal()
            }
            let seconds = max(0, deadline.seconds) + 1
            _ = done.wait(timeout: .now() + .milliseconds(Int(seconds * 1000)))
        }
    }
}
