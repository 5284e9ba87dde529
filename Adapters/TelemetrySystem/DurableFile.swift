#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Write-then-rename, the one way this SDK replaces a file: a crash leaves the old file or the new one,
/// never half of either. Shared by the state store and the spool.
enum DurableFile {
    /// Writes `bytes` to `temporary` (created exclusively with mode 0600, never through a symlink),
    /// `fsync`s it and renames it over `target`; both names are relative to `directory` (a directory
    /// descriptor, or `AT_FDCWD` for paths). Returns nil on success, else the failing step and its
    /// `errno`; the temporary never outlives a failure.
    static func replace(
        _ target: String, with bytes: [UInt8], via temporary: String, in directory: Int32 = AT_FDCWD
    ) -> (operation: String, errno: Int32)? {
        let descriptor = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return ("create", errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return fail("write", descriptor, temporary, directory) }
            written += count
        }
        guard fsync(descriptor) == 0 else { return fail("fsync", descriptor, temporary, directory) }
        close(descriptor)
        guard renameat(directory, temporary, directory, target) == 0 else {
            let code = errno
            unlinkat(directory, temporary, 0)
            return ("rename", code)
        }
        return nil
    }

    private static func fail(_ operation: String, _ descriptor: Int32, _ temporary: String, _ directory: Int32) -> (String, Int32) {
        let code = errno
        close(descriptor)
        unlinkat(directory, temporary, 0)
        return (operation, code)
    }
}

/// The system's `write(2)` (the callers' types have methods named `write`).
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
