#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore

/// Keeps the SDK's small state files under a home directory, with the same paths as the Python and
/// TypeScript SDKs so a user's choice applies to every Automagik tool:
///
/// | item | path |
/// |---|---|
/// | opt-out marker | `~/.automagik-no-telemetry` |
/// | consent | `~/.automagik/telemetry_preference` |
/// | anonymous id | `~/.automagik/user_id` |
/// | hash salt | `~/.automagik/salt` |
///
/// Writes create `~/.automagik` with mode 0700 and files with mode 0600, write to a temporary file,
/// `fsync` it and `rename` it into place, so a crash never leaves a half-written id.
public struct FileStateStore: TelemetryStateStore {
    /// The directory standing for `~`.
    public let homeDirectory: String

    /// Creates a store rooted at `homeDirectory`.
    public init(homeDirectory: String) {
        self.homeDirectory = homeDirectory
    }

    /// A store rooted at `$HOME`, else the password database's home, else the current directory.
    public static func forCurrentUser(environment: some EnvironmentReader = ProcessEnvironment()) -> FileStateStore {
        if let home = environment.value(for: "HOME"), !home.isEmpty { return FileStateStore(homeDirectory: home) }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            return FileStateStore(homeDirectory: String(cString: directory))
        }
        return FileStateStore(homeDirectory: ".")
    }

    /// Absolute path of `item`.
    public func path(of item: StoredItem) -> String {
        switch item {
        case .optOutMarker: "\(homeDirectory)/.automagik-no-telemetry"
        case .consent: "\(stateDirectory)/telemetry_preference"
        case .anonymousID: "\(stateDirectory)/user_id"
        case .hashSalt: "\(stateDirectory)/salt"
        }
    }

    /// `~/.automagik`.
    public var stateDirectory: String { "\(homeDirectory)/.automagik" }

    /// The value of `item`, or nil when absent or not a regular file owned by this user.
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
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 64 * 1024 {
            let count = buffer.withUnsafeMutableBytes { Glibc_read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.trimmingWhitespace()
    }

    /// Writes `value` durably (0600 in a 0700 directory, write-then-rename); throws `StateStoreError`.
    public func write(_ item: StoredItem, value: String) throws {
        let directory = item == .optOutMarker ? homeDirectory : stateDirectory
        if item != .optOutMarker { try ensureDirectory(directory) }
        let target = path(of: item)
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

    private func ensureDirectory(_ path: String) throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw StateStoreError(operation: "mkdir", path: path, errno: errno)
        }
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
