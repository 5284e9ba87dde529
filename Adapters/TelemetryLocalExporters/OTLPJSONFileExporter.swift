#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@_spi(Internals) import TelemetryCore
import TelemetryOTLP

/// Writes each batch as one line of OTLP/JSON (`Export{Trace,Metrics,Logs}ServiceRequest`), the
/// format the OpenTelemetry Collector's `otlpjsonfile` receiver reads.
///
/// The file is created lazily, on the first export, with mode 0600 — so a disabled client never
/// creates it. Safe in shared folders such as `/tmp`: a symlink at the path is never followed, and an
/// existing file is used only if it is a regular file owned by this process's user with no other hard
/// link (its group/other permissions are removed); anything else fails the export permanently. Writes are appends of whole lines. When the file would exceed `maxFileBytes` it is
/// renamed to `PATH.1` (replacing an older one) and a new file is started, bounding disk use to about
/// twice the limit.
public final class OTLPJSONFileExporter: TelemetryExporter {
    /// The file appended to.
    public let path: String
    /// Size at which the file is rotated to `PATH.1`.
    public let maxFileBytes: Int
    private let encoder = OTLPJSONEncoder()
    private let state = LockedBox(FileState())

    private struct FileState {
        var descriptor: Int32 = -1
        var size = 0
    }

    /// Creates an exporter appending to `path`; nothing is touched until the first export.
    public init(path: String, maxFileBytes: Int = 64 * 1024 * 1024) {
        self.path = path
        self.maxFileBytes = max(1024, maxFileBytes)
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
    }

    /// Appends the batch as one OTLP/JSON line; a path that is unsafe or cannot be opened fails permanently.
    public func export(_ batch: ExportBatch) async -> ExportResult {
        var line = encoder.encode(batch)
        line.append(UInt8(ascii: "\n"))
        return state.withLock { state -> ExportResult in
            if state.descriptor >= 0 && state.size + line.count > maxFileBytes && state.size > 0 {
                close(state.descriptor)
                state.descriptor = -1
                rename(path, path + ".1")
            }
            if state.descriptor < 0 {
                switch Self.openSafely(path) {
                case .success(let (descriptor, size)):
                    state.descriptor = descriptor
                    state.size = size
                case .failure(let problem):
                    return .permanentFailure(reason: problem.reason)
                }
            }
            var written = 0
            while written < line.count {
                let count = line[written...].withUnsafeBytes { write(state.descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    return .retryable(reason: "write \(path): \(String(cString: strerror(errno)))")
                }
                written += count
            }
            state.size += written
            return .success()
        }
    }

    private struct OpenProblem: Error {
        let reason: String
    }

    /// Opens `path` for appending without following a symlink or blocking on a FIFO, then checks what
    /// was opened (the check is on the descriptor, so the path cannot be swapped in between).
    private static func openSafely(_ path: String) -> Result<(Int32, Int), OpenProblem> {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "is a symbolic link" : String(cString: strerror(errno))
            return .failure(OpenProblem(reason: "cannot open \(path): \(reason)"))
        }
        var info = stat()
        let problem: String? =
            if fstat(descriptor, &info) != 0 { "cannot inspect \(path)" } else if info.st_mode & S_IFMT != S_IFREG {
                "\(path) is not a regular file"
            } else if info.st_uid != geteuid() { "\(path) belongs to another user" } else if info.st_nlink > 1 {
                "\(path) has other hard links"
            } else if info.st_mode & 0o077 != 0 && fchmod(descriptor, 0o600) != 0 { "\(path) is readable by others and cannot be made private" } else
            { nil }
        if let problem {
            close(descriptor)
            return .failure(OpenProblem(reason: problem))
        }
        return .success((descriptor, Int(info.st_size)))
    }

    /// Closes the file.
    public func shutdown() async {
        state.withLock { state in
            if state.descriptor >= 0 {
                fsync(state.descriptor)
                close(state.descriptor)
                state.descriptor = -1
            }
        }
    }
}
