#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
@_spi(Internals) import TelemetryCore

/// Shuts registered clients down when the process exits normally (`exit()` or returning from `main`),
/// each within its deadline (`AutomagikTelemetry.exitBudget` by default): what is not delivered by then
/// is kept in the spool for a later run. On by default in command-line tools and servers
/// (`TelemetryConfiguration.flushOnExit`). Crashes and signals end the process without it; what a write-ahead
/// spool (`SpoolSettings.Persistence.everyBatch`) already holds survives those too.
enum ExitHook {
    private struct Registration {
        weak var client: AutomagikTelemetry?
        /// nil: `shutdown()`'s default.
        let deadline: Duration?
    }

    private static let registrations = LockedBox<[Registration]>([])
    private static let installed = LockedBox(false)

    static func register(_ client: AutomagikTelemetry, deadline: Duration?) {
        registrations.withLock { $0.append(Registration(client: client, deadline: deadline)) }
        let first = installed.withLock { installed -> Bool in
            defer { installed = true }
            return !installed
        }
        if first { atexit { ExitHook.run() } }
    }

    /// Runs at exit on the exiting thread: shuts every live client down, waiting at most its deadline
    /// plus a quarter second (the engine stops itself at the deadline; the margin covers an exporter
    /// that ignores cancellation), so a hung endpoint can delay exit but never block it.
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
            let seconds = max(0, (deadline ?? .seconds(5)).seconds) + 0.25
            _ = done.wait(timeout: .now() + .milliseconds(Int(min(seconds, 86_400) * 1000)))
        }
    }
}
