#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore

/// Keeps the SDK's small state files where `StateLocation` says. For command-line tools and servers
/// these are the paths of the Python and TypeScript SDKs, so a user's choice applies to every
/// Automagik tool:
///
/// | item | path (home layout) | path (Apple app layout) |
/// |---|---|---|
/// | opt-out marker | `~/.automagik-no-telemetry` | `Application Support/<bundle id>/Automagik/no-telemetry` |
/// | consent | `~/.automagik/telemetry_preference` | `…/Automagik/telemetry_preference` |
/// | anonymous id | `~/.automagik/user_id` | `…/Automagik/user_id` |
/// | hash salt | `~/.automagik/salt` | `…/Automagik/salt` |
///
/// Writes create the state directory (and missing parents) with mode 0700 and files with mode 0600,
/// write to a temporary file, `fsync` it and `rename` it into place, so a crash never leaves a
/// half-written id.
public struct FileStateStore: TelemetryStateStore {
    /// Where the files live.
    package let location: StateLocation

    /// The directory standing for `~` in the home layout (the state directory's parent).
    package var homeDirectory: String {
        String(location.directory[..<(location.directory.lastIndex(of: "/") ?? location.directory.startIndex)])
    }

    /// Creates a store with the home layout rooted at `homeDirectory`.
    public init(homeDirectory: String) {
        self.location = .homeDirectory(homeDirectory)
    }

    /// Creates a store at `location`.
    package init(location: StateLocation) {
        self.location = location
    }

    /// The store for this process: an Apple app's (or `appGroup`'s) Application Support; otherwise the
    /// home layout under `$HOME`, else the password database's home, else the current directory.
    public static func forCurrentUser(environment: some EnvironmentReader = ProcessEnvironment(), appGroup: String? = nil) -> FileStateStore {
        FileStateStore(location: .current(home: currentHome(environment: environment), appGroup: appGroup))
    }

    static func currentHome(environment: some EnvironmentReader) -> String {
        if let home = environment.value(for: "HOME"), !home.isEmpty { return home }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            return String(cString: directory)
        }
        return "."
    }

    /// Absolute path of `item`.
    package func path(of item: StoredItem) -> String {
        switch item {
        case .optOutMarker: location.optOutMarker
        case .consent: "\(stateDirectory)/telemetry_preference"
        case .anonymousID: "\(stateDirectory)/user_id"
        case .hashSalt: "\(stateDirectory)/salt"
        }
    }

    /// The state directory (`~/.automagik` in the home layout).
    package var stateDirectory: String { location.directory }

    /// The value of `item`, or nil when absent, not a regular file, or not trusted (`isTrusted`; a saved
    /// opt-out is honoured even from an untrusted file).
    public func read(_ item: StoredItem) -> String? {
        let path = path(of: item)
        if item == .optOutMarker {
            return access(path, F_OK) == 0 ? "" : nil
        }
        // Not following links and not blocking: a FIFO or a link to a device at this path must not stall
        // or flood the app; only a regular file is read, and at most 64 KiB of it.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let trusted = Self.isTrusted(info) && isDirectoryTrusted(of: path)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 64 * 1024 {
            let count = buffer.withUnsafeMutableBytes { Glibc_read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        // An untrusted file can only make telemetry more private: a saved "no" is honoured wherever it
        // comes from, a saved "yes", an id or a salt only from a trusted file.
        if !trusted { return item == .consent && Self.optOutWords.contains(text.lowercased()) ? text : nil }
        return text
    }

    private static let optOutWords: Set<String> = ["false", "0", "no", "off"]

    /// Whether a file or directory with `info` may decide consent, identity or salt: owned by this user
    /// (or root, for a home prepared by an administrator) and writable by nobody else. A shared writable
    /// `HOME` (a lab machine, a badly set up container) otherwise lets another local user switch
    /// telemetry on or choose the salt that pseudonymises this user's ids (issue #23). An untrusted value
    /// reads as absent: consent falls back to the defaults (off unless the app's code or environment says
    /// on), and a new anonymous id and salt are made and kept in memory when they cannot be written.
    static func isTrusted(_ info: stat) -> Bool {
        let owner = info.st_uid
        let byMe = owner == geteuid() || owner == 0
        let writableByOthers = info.st_mode & (S_IWGRP | S_IWOTH) != 0
        // A sticky directory writable by all (/tmp) is safe only for entries others cannot replace; the
        // state directory is never such a directory, so any group/other write bit is refused.
        return byMe && !writableByOthers
    }

    /// Whether the directory holding `path` (the state directory, or the home for the opt-out marker's
    /// parent) is trusted by the same rule.
    private func isDirectoryTrusted(of path: String) -> Bool {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        var info = stat()
        guard lstat(directory.isEmpty ? "/" : directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return false }
        return Self.isTrusted(info)
    }

    /// Writes `value` durably (0600 in a 0700 directory, write-then-rename); throws `StateStoreError`.
    public func write(_ item: StoredItem, value: String) throws {
        let target = path(of: item)
        let directory = String(target[..<(target.lastIndex(of: "/") ?? target.startIndex)])
        if directory == stateDirectory { try ensureStateDirectory() }
        let temporary = "\(target).tmp-\(getpid())"
        unlink(temporary)  // a leftover of a crashed write, or something planted: never written through
        var bytes = Array(value.utf8)
        if item != .optOutMarker { bytes.append(UInt8(ascii: "\n")) }
        if let failure = DurableFile.replace(target, with: bytes, via: temporary) {
            throw StateStoreError(operation: failure.operation, path: failure.operation == "rename" ? target : temporary, errno: failure.errno)
        }
    }

    /// Deletes `item`; absent is fine; throws `StateStoreError` otherwise.
    public func remove(_ item: StoredItem) throws {
        let path = path(of: item)
        if unlink(path) != 0 && errno != ENOENT {
            throw StateStoreError(operation: "remove", path: path, errno: errno)
        }
    }

    /// Creates the state directory 0700, and its missing parents (an app's Application Support does not
    /// exist until someone creates it).
    private func ensureStateDirectory() throws {
        let path = stateDirectory
        if mkdir(path, 0o700) == 0 {
            excludeFromBackupIfAsked()
            return
        }
        if errno == EEXIST { return }
        guard errno == ENOENT else { throw StateStoreError(operation: "mkdir", path: path, errno: errno) }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/").dropLast() {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw StateStoreError(operation: "mkdir", path: prefix, errno: errno)
            }
        }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw StateStoreError(operation: "mkdir", path: path, errno: errno)
        }
        excludeFromBackupIfAsked()
    }

    private func excludeFromBackupIfAsked() {
        #if canImport(Darwin)
        if location.excludedFromBackup { AppleAppStorage.excludeFromBackup(stateDirectory) }
        #endif
    }
}

/// A file operation of `FileStateStore` failed.
public struct StateStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failing step (`create`, `write`, `rename`, `remove`, …).
    public let operation: String
    /// The path it failed on.
    public let path: String
    /// The system's error number.
    public let errno: Int32

    /// `OPERATION PATH failed: REASON`.
    public var description: String { "\(operation) \(path) failed: \(String(cString: strerror(errno)))" }
}

// Module-qualified so the struct's own `read`/`write` methods do not shadow libc's.
private func Glibc_read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
