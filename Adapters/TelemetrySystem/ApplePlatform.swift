/// The Apple platform a process runs on, as a plain value, so the decisions that depend on it (where
/// state lives, which lifecycle notifications exist, which background-time API applies) are functions
/// the Linux unit tests can run for every platform. `current` is the only line that differs per build.
package enum ApplePlatform: Sendable, Hashable, CaseIterable {
    case iOS, tvOS, visionOS, macCatalyst, watchOS, macOS

    /// The platform of this build; nil off Apple platforms.
    package static var current: ApplePlatform? {
        #if targetEnvironment(macCatalyst)
        .macCatalyst
        #elseif os(iOS)
        .iOS
        #elseif os(tvOS)
        .tvOS
        #elseif os(visionOS)
        .visionOS
        #elseif os(watchOS)
        .watchOS
        #elseif os(macOS)
        .macOS
        #else
        nil
        #endif
    }

    /// Whether a process with a main bundle ending in `bundleExtension` is an app or app extension.
    /// On iOS, tvOS, visionOS, Mac Catalyst and watchOS every process is; on macOS only `.app` and
    /// `.appex` bundles are (a command-line tool's "bundle" is its folder).
    package func isAppProcess(bundleExtension: String) -> Bool {
        self != .macOS || bundleExtension == "app" || bundleExtension == "appex"
    }

    /// Whether UIKit's `UIApplication` (and its lifecycle notifications) exists here.
    package var hasUIKitApplication: Bool { self == .iOS || self == .tvOS || self == .visionOS || self == .macCatalyst }

    /// The state directory's parent for an app process: the app group's container when one is given
    /// and the system resolved it (Apple, `containerURL(forSecurityApplicationGroupIdentifier:)`: nil
    /// when the entitlement is missing), else the user's Application Support, in a folder named by the
    /// bundle identifier on every platform — unsandboxed macOS apps share `~/Library/Application Support`
    /// (Apple, "File System Programming Guide": "use your app's bundle identifier" for that folder), and
    /// one layout everywhere keeps an app's existing identity where earlier versions put it. Nil for a
    /// process that is not an app (it keeps the home-directory layout).
    package func applicationSupport(
        bundleExtension: String, groupContainer: String?, userApplicationSupport: String?, bundleIdentifier: String?
    ) -> String? {
        guard isAppProcess(bundleExtension: bundleExtension) else { return nil }
        if let groupContainer { return groupContainer + "/Library/Application Support" }
        guard let userApplicationSupport else { return nil }
        let folder = bundleIdentifier.flatMap { $0.isEmpty || $0.contains("/") || $0.hasPrefix(".") ? nil : $0 } ?? "automagik-telemetry"
        return userApplicationSupport + "/" + folder
    }
}
