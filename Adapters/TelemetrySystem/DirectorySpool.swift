#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore

/// A `TelemetrySpool` in a directory: one file per prepared request.
///
/// - Durable: each file is written to a temporary name, `fsync`ed and renamed into place; the directory
///   is 0700 and files 0600.
/// - Oldest first: names start with the creation time in nanoseconds.
/// - Shared safely: a process claims a file by renaming it to `…claimed-PID`; `rename` is atomic, so two
///   processes never upload the same file. Claims of processes that died are recovered.
/// - Bounded: by total bytes (oldest evicted first) and by age; both losses are counted.
/// - Robust: files with a bad header, length or checksum are deleted and counted, never returned.
public final class DirectorySpool: TelemetrySpool {
    public let directory: String
    public let maxBytes: Int
    public let maxAge: Duration
    private let clock: any TelemetryClock
    private let processID = getpid()
    private let sequence = LockedBox<UInt64>(0)
    private let losses = LockedBox(SpoolLosses())

    static let magic = Array("AMTSPOOL1\n".utf8)
    static let suffix = ".spool"

    /// Creates a spool in `directory` (created on first store); nothing is touched until then.
    public init(directory: String, maxBytes: Int = 64 * 1024 * 1024, maxAge: Duration = .seconds(7 * 86_400),
                clock: any TelemetryClock) {
        self.directory = directory
        self.maxBytes = max(1024, maxBytes)
        self.maxAge = maxAge
        self.clock = clock
    }

    // MARK: TelemetrySpool

    public func store(_ entry: SpoolEntry) -> SpoolHandle? {
        guard ensureDirectory() else { return nil }
        let bytes = Self.serialize(entry)
        guard bytes.count <= maxBytes else { return nil }
        makeRoom(for: bytes.count)
        let order = sequence.withLock { value -> UInt64 in
            value += 1
            return value
        }
        let name = "\(String(entry.createdAt.nanosecondsSinceEpoch).leftPadded(20))-\(String(order).leftPadded(8))-\(processID)\(Self.suffix)"
        let temporary = "\(directory)/.tmp-\(processID)-\(order)"
        guard write(bytes, to: temporary), rename(temporary, "\(directory)/\(name)") == 0 else {
            unlink(temporary)
            return nil
        }
        syncDirectory()
        return SpoolHandle(name)
    }

    public func claimOldest(limit: Int) -> [(handle: SpoolHandle, entry: SpoolEntry)] {
        recoverAbandonedClaims()
        expireOld()
        var claimed: [(handle: SpoolHandle, entry: SpoolEntry)] = []
        for name in listing().filter({ $0.hasSuffix(Self.suffix) }) {
            guard claimed.count < limit else { break }
            let claimName = "\(name).claimed-\(processID)"
            guard rename("\(directory)/\(name)", "\(directory)/\(claimName)") == 0 else { continue }
            guard let bytes = read("\(directory)/\(claimName)"), let entry = Self.deserialize(bytes) else {
                unlink("\(directory)/\(claimName)")
                losses.withLock { $0.corrupt += 1 }
                continue
            }
            claimed.append((SpoolHandle(claimName), entry))
        }
        return claimed
    }

    public func remove(_ handle: SpoolHandle) {
        unlink("\(directory)/\(handle.id)")
    }

    public func release(_ handle: SpoolHandle) {
        guard let range = handle.id.range(ofSuffix: ".claimed-\(processID)") else { return }
        rename("\(directory)/\(handle.id)", "\(directory)/\(handle.id[..<range.lowerBound])")
    }

    public func takeLosses() -> SpoolLosses {
        losses.withLock { losses in
            defer { losses = SpoolLosses() }
            return losses
        }
    }

    // MARK: Format

    /// `AMTSPOOL1\n` + one line of `key=value;` header + body. The header carries the body's length and
    /// FNV-1a checksum, so truncated or damaged files are recognised.
    static func serialize(_ entry: SpoolEntry) -> [UInt8] {
        let header = "signal=\(entry.signal.rawValue);items=\(entry.itemCount);format=\(entry.format);"
            + "type=\(entry.contentType);encoding=\(entry.contentEncoding ?? "");created=\(entry.createdAt.nanosecondsSinceEpoch);"
            + "length=\(entry.body.count);checksum=\(checksum(entry.body))\n"
        return magic + Array(header.utf8) + entry.body
    }

    static func deserialize(_ bytes: [UInt8]) -> SpoolEntry? {
        guard bytes.count > magic.count, Array(bytes[..<magic.count]) == magic,
            let newline = bytes[magic.count...].firstIndex(of: UInt8(ascii: "\n"))
        else { return nil }
        var fields: [String: String] = [:]
        for pair in String(decoding: bytes[magic.count..<newline], as: UTF8.self).split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        let body = Array(bytes[(newline + 1)...])
        guard let signal = fields["signal"].flatMap(TelemetrySignal.init(rawValue:)),
            let items = fields["items"].flatMap({ Int($0) }), let format = fields["format"], let type = fields["type"],
            let created = fields["created"].flatMap({ UInt64($0) }), fields["length"].flatMap({ Int($0) }) == body.count,
            fields["checksum"] == checksum(body)
        else { return nil }
        let encoding = fields["encoding"].flatMap { $0.isEmpty ? nil : $0 }
        return SpoolEntry(signal: signal, itemCount: items, format: format, contentType: type, contentEncoding: encoding,
                          body: body, createdAt: Timestamp(nanosecondsSinceEpoch: created))
    }

    static func checksum(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return HexEncoding.hex(hash)
    }

    // MARK: Files

    private func ensureDirectory() -> Bool {
        if mkdir(directory, 0o700) == 0 || errno == EEXIST { return true }
        return false
    }

    private func listing() -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.contains(Self.suffix) { names.append(name) }
        }
        return names.sorted()
    }

    private func size(of name: String) -> Int {
        var info = stat()
        return stat("\(directory)/\(name)", &info) == 0 ? Int(info.st_size) : 0
    }

    private func itemCount(of name: String) -> Int {
        guard let bytes = read("\(directory)/\(name)", limit: 512),
            let newline = bytes.firstIndex(of: UInt8(ascii: "\n"), after: Self.magic.count)
        else { return 0 }
        let header = String(decoding: bytes[Self.magic.count..<newline], as: UTF8.self)
        return header.split(separator: ";").first { $0.hasPrefix("items=") }.flatMap { Int($0.dropFirst(6)) } ?? 0
    }

    /// Evicts the oldest unclaimed files until `incoming` more bytes fit.
    private func makeRoom(for incoming: Int) {
        let stored = listing().filter { $0.hasSuffix(Self.suffix) }
        var total = stored.reduce(0) { $0 + size(of: $1) }
        for name in stored where total + incoming > maxBytes {
            let items = itemCount(of: name)
            let bytes = size(of: name)
            if unlink("\(directory)/\(name)") == 0 {
                total -= bytes
                losses.withLock { $0.evictedForSpace += items }
            }
        }
    }

    private func expireOld() {
        let cutoff = clock.now().advanced(by: .zero - maxAge).nanosecondsSinceEpoch
        for name in listing().filter({ $0.hasSuffix(Self.suffix) }) {
            guard let created = UInt64(name.prefix(20)), created < cutoff else { continue }
            let items = itemCount(of: name)
            if unlink("\(directory)/\(name)") == 0 { losses.withLock { $0.expired += items } }
        }
    }

    /// Files claimed by processes that no longer exist go back to the queue.
    private func recoverAbandonedClaims() {
        for name in listing() {
            guard let range = name.range(ofInfix: ".claimed-"), let owner = Int32(name[range.upperBound...]) else { continue }
            if owner != processID && kill(owner, 0) != 0 && errno == ESRCH {
                rename("\(directory)/\(name)", "\(directory)/\(name[..<range.lowerBound])")
            }
        }
    }

    private func write(_ bytes: [UInt8], to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc_writeSpool(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            written += count
        }
        return fsync(descriptor) == 0
    }

    private func read(_ path: String, limit: Int = 256 * 1024 * 1024) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { Glibc_readSpool(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return bytes
    }

    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

private func Glibc_readSpool(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func Glibc_writeSpool(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    fileprivate func range(ofSuffix suffix: String) -> Range<String.Index>? {
        hasSuffix(suffix) ? index(endIndex, offsetBy: -suffix.count)..<endIndex : nil
    }

    fileprivate func range(ofInfix infix: String) -> Range<String.Index>? {
        var start = startIndex
        while start < endIndex {
            if self[start...].hasPrefix(infix) { return start..<index(start, offsetBy: infix.count) }
            start = index(after: start)
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    fileprivate func firstIndex(of byte: UInt8, after start: Int) -> Int? {
        guard start < count else { return nil }
        return self[start...].firstIndex(of: byte)
    }
}
