#if canImport(Darwin)
import Foundation
#endif

/// Whether this process is a command-line tool or server — it exits, normally through `exit()` or by
/// returning from `main`, and that is the moment to keep what was not delivered — or an app, which the
/// system suspends and kills without either (apps flush on backgrounding instead: `AppLifecycle`).
package enum ProcessShape: Sendable, Hashable {
    case commandLineOrServer
    case app

    /// This process's shape.
    package static var current: ProcessShape {
        #if canImport(Darwin)
        of(platform: ApplePlatform.current, bundleExtension: Bundle.main.bundleURL.pathExtension)
        #else
        of(platform: nil, bundleExtension: "")
        #endif
    }

    /// The shape of a process on `platform` (nil off Apple platforms) whose main bundle ends in
    /// `bundleExtension`: the decision `current` makes, for the Linux tests to run for every platform.
    package static func of(platform: ApplePlatform?, bundleExtension: String) -> ProcessShape {
        guard let platform, platform.isAppProcess(bundleExtension: bundleExtension) else { return .commandLineOrServer }
        return .app
    }

    /// Whether the exit hook belongs here by default.
    package var isCommandLineOrServer: Bool { self == .commandLineOrServer }
}
