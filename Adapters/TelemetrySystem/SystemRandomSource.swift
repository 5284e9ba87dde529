#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@_spi(Internals) import TelemetryCore

/// The operating system's cryptographically secure generator, read 4 KiB at a time.
///
/// Asking the kernel for 8 bytes per id would cost a system call per span; buffering keeps the same
/// source (`/dev/urandom` on Linux, `SystemRandomNumberGenerator` elsewhere or on failure) at a fraction
/// of the cost: each span takes three words, and a refill (open, read, close) comes every 170 spans.
/// With 64 words it came every 21 and took 3.5 % of the engine's time in `make bench`'s end-to-end
/// profile. The file is not kept open: an app that closes descriptors it does not know must not break
/// it. Thread-safe.
public final class SystemRandomSource: RandomSource {
    private struct Pool {
        var words = [UInt64](repeating: 0, count: 512)
        var next = 512
    }

    private let pool = LockedBox(Pool())

    /// Creates the source.
    public init() {}

    /// Eight bytes from the system's CSPRNG.
    public func nextUInt64() -> UInt64 {
        pool.withLock { pool in
            if pool.next == pool.words.count {
                Self.refill(&pool.words)
                pool.next = 0
            }
            defer { pool.next += 1 }
            return pool.words[pool.next]
        }
    }

    private static func refill(_ words: inout [UInt64]) {
        #if os(Linux)
        // One read of the kernel's CSPRNG per 512 words (the stdlib asks the kernel per 8 bytes).
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            let filled = words.withUnsafeMutableBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let count = read(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { return false }
                    offset += count
                }
                return true
            }
            if filled { return }
        }
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in words.indices { words[index] = generator.next() }
    }
}
