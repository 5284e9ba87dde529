#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore

/// Coarse facts about the platform, for resource attributes. Deliberately nothing identifying:
/// no hostname, no IP, no hardware serials — only what millions of machines share.
package struct HostInfo: Sendable, Hashable {
    /// OpenTelemetry `os.type`: `linux`, `darwin`, `windows`, …
    package var osType: String
    /// Kernel or OS release, e.g. `6.1.0-18-amd64`.
    package var osVersion: String
    /// OpenTelemetry `host.arch`: `amd64`, `arm64`, …
    package var architecture: String
    /// Swift language version the SDK was compiled with.
    package var runtimeVersion: String
    /// Whether the process appears to run in a container.
    package var isContainer: Bool
    /// OpenTelemetry `os.name` on Apple platforms (`iOS`, `macOS`, `tvOS`, `watchOS`, `visionOS`); nil elsewhere.
    package var osName: String? = nil
    /// OpenTelemetry `device.model.identifier` on Apple platforms (`iPhone15,2`, `Mac14,2`); nil elsewhere.
    package var deviceModelIdentifier: String? = nil

    /// Creates host info from explicit values (tests, unusual platforms).
    package init(osType: String, osVersion: String, architecture: String, runtimeVersion: String, isContainer: Bool) {
        self.osType = osType
        self.osVersion = osVersion
        self.architecture = architecture
        self.runtimeVersion = runtimeVersion
        self.isContainer = isContainer
    }

    /// Reads this machine's facts (`uname`, container markers). Cheap; called once per client.
    package static func current() -> HostInfo {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        #if os(Linux)
        let osType = "linux"
        let isContainer = access("/.dockerenv", F_OK) == 0 || access("/run/.containerenv", F_OK) == 0
        #elseif os(macOS) || os(iOS) || os(tvOS) || os(watchOS) || os(visionOS)
        let osType = "darwin"
        let isContainer = false
        #else
        let osType = "unknown"
        let isContainer = false
        #endif
        var info = HostInfo(
            osType: osType,
            osVersion: release,
            architecture: openTelemetryArchitecture(machine),
            runtimeVersion: swiftVersion,
            isContainer: isContainer
        )
        #if canImport(Darwin)
        // The semantic conventions want the marketing version (17.4.1), not the Darwin kernel's (23.4.0).
        info.osVersion = AppleDevice.marketingVersion
        info.osName = AppleDevice.osName
        info.deviceModelIdentifier = AppleDevice.modelIdentifier
        #endif
        return info
    }

    /// Maps `uname -m` spellings to OpenTelemetry's `host.arch` values.
    static func openTelemetryArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64", "amd64": "amd64"
        case "aarch64", "arm64": "arm64"
        case "i386", "i686": "x86"
        case "armv7l", "armv7": "arm32"
        case "ppc64le": "ppc64"
        case "s390x": "s390x"
        default: machine
        }
    }

    private static var swiftVersion: String {
        #if swift(>=6.4)
        "6.4"
        #elseif swift(>=6.3)
        "6.3"
        #elseif swift(>=6.2)
        "6.2"
        #elseif swift(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}
