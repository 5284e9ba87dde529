#if canImport(Darwin)
import Foundation
#endif

/// Where the SDK keeps its state files (consent, anonymous id, salt, opt-out marker) on this platform.
///
/// - **Command-line tools and servers** (Linux, and macOS processes that are not app bundles): the same
///   paths as the Python and TypeScript SDKs, so one opt-out covers every Automagik tool on the machine:
///   `~/.automagik/…` and the marker `~/.automagik-no-telemetry`.
/// - **Apple apps and app extensions**: inside the app's own storage, never a dot-folder at the
///   container's root: `Library/Application Support/<bundle id>/Automagik/` — or, when an app group is
///   given, the group container's `Library/Application Support/Automagik/`, so an app and its extensions
///   share one anonymous id and one consent. The directory is excluded from backups: a restored backup
///   on a second device must not make two devices report as one.
package struct StateLocation: Sendable, Hashable {
    /// The directory holding the state files (created 0700 on first write).
    package var directory: String
    /// The opt-out marker: telemetry is off while a file exists at this path.
    package var optOutMarker: String
    /// Whether the directory is excluded from device backups (Apple platforms).
    package var excludedFromBackup: Bool

    /// A location from explicit paths (tests, unusual hosts).
    package init(directory: String, optOutMarker: String, excludedFromBackup: Bool = false) {
        self.directory = directory
        self.optOutMarker = optOutMarker
        self.excludedFromBackup = excludedFromBackup
    }

    /// The original SDKs' layout under a home directory: `HOME/.automagik`, marker `HOME/.automagik-no-telemetry`.
    package static func homeDirectory(_ home: String) -> StateLocation {
        StateLocation(directory: "\(home)/.automagik", optOutMarker: "\(home)/.automagik-no-telemetry")
    }

    /// The app layout under an Application Support directory: `SUPPORT/Automagik`, marker inside it,
    /// excluded from backups.
    package static func applicationSupport(_ support: String) -> StateLocation {
        let directory = "\(support)/Automagik"
        return StateLocation(directory: directory, optOutMarker: "\(directory)/no-telemetry", excludedFromBackup: true)
    }

    /// Where this process keeps its state: an app's Application Support (or `appGroup`'s container) on
    /// Apple platforms when the process is an app or app extension, `home` everywhere else.
    package static func current(home: String, appGroup: String? = nil) -> StateLocation {
        #if canImport(Darwin)
        if let support = AppleAppStorage.applicationSupport(appGroup: appGroup) {
            return applicationSupport(support)
        }
        #endif
        return homeDirectory(home)
    }
}

#if canImport(Darwin)
/// The Apple-only lookups behind `StateLocation.current` (Foundation's `FileManager` and `Bundle`); the
/// decision itself is `ApplePlatform.applicationSupport`, which the Linux tests run.
enum AppleAppStorage {
    /// Application Support for an app or app extension, or nil for a command-line tool (which keeps the
    /// home-directory layout).
    static func applicationSupport(appGroup: String?) -> String? {
        guard let platform = ApplePlatform.current else { return nil }
        let bundleExtension = Bundle.main.bundleURL.pathExtension
        guard platform.isAppProcess(bundleExtension: bundleExtension) else { return nil }
        let files = FileManager.default
        return platform.applicationSupport(
            bundleExtension: bundleExtension,
            groupContainer: appGroup.flatMap { files.containerURL(forSecurityApplicationGroupIdentifier: $0)?.path },
            userApplicationSupport: files.urls(for: .applicationSupportDirectory, in: .userDomainMask).first?.path,
            bundleIdentifier: Bundle.main.bundleIdentifier)
    }

    /// Marks `path` as not to be backed up (iCloud or a computer backup). Best effort: a failure leaves
    /// the files where they are, which is still correct, only backed up.
    static func excludeFromBackup(_ path: String) {
        var url = URL(fileURLWithPath: path, isDirectory: true)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try? url.setResourceValues(values)
    }
}
#endif

#if canImport(Darwin)
/// Apple device facts for the resource (`HostInfo.current()`).
enum AppleDevice {
    static var marketingVersion: String {
        let version = ProcessInfo.processInfo.operatingSystemVersion
        return "\(version.majorVersion).\(version.minorVersion).\(version.patchVersion)"
    }

    static var osName: String {
        #if os(iOS)
        "iOS"
        #elseif os(tvOS)
        "tvOS"
        #elseif os(watchOS)
        "watchOS"
        #elseif os(visionOS)
        "visionOS"
        #else
        "macOS"
        #endif
    }

    /// `hw.machine` on devices (`iPhone15,2`), `hw.model` on Macs (`Mac14,2`); in a simulator the
    /// simulated model, which the simulator puts in the environment.
    static var modelIdentifier: String? {
        if let simulated = ProcessInfo.processInfo.environment["SIMULATOR_MODEL_IDENTIFIER"] { return simulated }
        #if os(macOS)
        let key = "hw.model"
        #else
        let key = "hw.machine"
        #endif
        var size = 0
        guard sysctlbyname(key, nil, &size, nil, 0) == 0, size > 0 else { return nil }
        var bytes = [CChar](repeating: 0, count: size)
        guard sysctlbyname(key, &bytes, &size, nil, 0) == 0 else { return nil }
        return String(cString: bytes)
    }
}
#endif
