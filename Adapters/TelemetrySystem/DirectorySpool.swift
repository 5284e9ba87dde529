#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@_spi(Internals) import TelemetryCore

/// A `TelemetrySpool` in a directory: one file per prepared request.
///
/// - Durable: each file is written to a temporary name, `fsync`ed and renamed into place; the directory
///   is 0700 and files 0600.
/// - Oldest first: names start with the creation time in nanoseconds.
/// - Shared safely between processes: a process claims a file by taking an exclusive `flock` on it and
///   renaming it to `…claimed-TOKEN` (a random token per spool, not a process id: two containers sharing a
///   home both run as PID 1). It keeps the lock until the batch is delivered (the file is unlinked
///   first, then unlocked) or given back (renamed back, then unlocked). The kernel drops the locks of a
///   process that dies however it dies, so a claim whose lock can be taken is abandoned and goes back to
///   the queue — across PID namespaces too, where `kill(pid, 0)` would ask about another process.
/// - Bounded: by total bytes (oldest evicted first) and by age; both losses are counted.
/// - Robust: files with a bad header, length or checksum are deleted and counted, never returned.
/// - Safe in a hostile directory: the directory must be a real directory owned by this process's user
///   (group/other permissions are removed, a symlink or a foreign owner makes the spool unusable, see
///   `checkDirectory()`); it is then held open and every file is reached relative to it, so swapping
///   the path for a symlink later changes nothing. Entries are opened without following symlinks and
///   without blocking (a FIFO cannot stall the engine), only regular files owned by this user are
///   read, and never more than the largest entry this spool writes.
package final class DirectorySpool: TelemetrySpool {
    /// The spool folder.
    package let directory: String
    /// Most bytes kept; the oldest batches are evicted beyond it.
    package let maxBytes: Int
    /// Batches older than this are removed unsent (counted expired).
    package let maxAge: Duration
    private let clock: any TelemetryClock
    /// Names this spool's files and claims: random, so processes never collide, whatever their PIDs.
    private let token: String
    private let sequence = LockedBox<UInt64>(0)
    /// Descriptors holding the `flock` of each claim this spool made, by claim name.
    private let held = LockedBox<[String: Int32]>([:])
    private let losses = LockedBox(SpoolLosses())
    private let handle = LockedBox(DirectoryHandle.unchecked)
    /// Names of stray entries (directories named like entries) already counted, so they are not
    /// counted again on every listing.
    private let strays = LockedBox<Set<String>>([])

    private enum DirectoryHandle {
        case unchecked
        case open(Int32)
        case unusable(String)
    }

    static let magic = Array("AMTSPOOL1\n".utf8)
    static let suffix = ".spool"
    /// Room for the magic and the header line on top of the body.
    static let headerAllowance = 4096

    /// Creates a spool in `directory` (created on first use); nothing is touched until then.
    package init(
        directory: String, maxBytes: Int = 64 * 1024 * 1024, maxAge: Duration = .seconds(7 * 86_400),
        clock: any TelemetryClock
    ) {
        self.directory = directory
        self.maxBytes = max(1024, maxBytes)
        self.maxAge = maxAge
        self.clock = clock
        token = HexEncoding.hex(SystemRandomSource().nextUInt64())
    }

    deinit {
        if case .open(let descriptor) = handle.withLock({ $0 }) { close(descriptor) }
        for descriptor in held.withLock({ $0.values }) { close(descriptor) }
    }

    /// Creates the directory (0700) if needed and checks it: it must be a directory, not a symlink,
    /// owned by this process's effective user; group and other permissions are removed. Returns why
    /// the spool cannot be used, or nil when it can. The verdict is kept: an unusable directory stays
    /// unusable for this spool's life, and every store is refused (the caller keeps data in memory).
    @discardableResult
    package func checkDirectory() -> String? {
        switch openDirectory() {
        case .open: nil
        case .unusable(let reason): reason
        case .unchecked: "not checked"
        }
    }

    // MARK: TelemetrySpool

    /// Writes `entry` durably (0600, write-then-rename); nil when it cannot be kept.
    package func store(_ entry: SpoolEntry) -> SpoolHandle? {
        guard let directory = directoryDescriptor() else { return nil }
        let bytes = Self.serialize(entry)
        guard bytes.count <= maxBytes else { return nil }
        makeRoom(for: bytes.count, in: directory)
        let order = sequence.withLock { value -> UInt64 in
            value += 1
            return value
        }
        let name = "\(String(entry.createdAt.nanosecondsSinceEpoch).leftPadded(20))-\(String(order).leftPadded(8))-\(token)\(Self.suffix)"
        let temporary = ".tmp-\(token)-\(order)"
        guard DurableFile.replace(name, with: bytes, via: temporary, in: directory) == nil else { return nil }
        fsync(directory)
        return SpoolHandle(name)
    }

    /// Claims up to `limit` of the oldest batches for this spool (lock, then atomic rename), unreadable
    /// ones removed and counted.
    package func claimOldest(limit: Int) -> [(handle: SpoolHandle, entry: SpoolEntry)] {
        guard let directory = directoryDescriptor() else { return [] }
        recoverAbandonedClaims(in: directory)
        expireOld(in: directory)
        var claimed: [(handle: SpoolHandle, entry: SpoolEntry)] = []
        for name in entries(in: directory) {
            guard claimed.count < limit else { break }
            // Locked before it is renamed: whoever holds the lock owns the file under any name.
            guard let descriptor = Self.openLocked(name, in: directory) else { continue }
            let claimName = "\(name).claimed-\(token)"
            guard renameat(directory, name, directory, claimName) == 0 else {
                close(descriptor)
                continue
            }
            guard let bytes = read(descriptor), let entry = Self.deserialize(bytes) else {
                if let bytes = read(descriptor), Self.isLaterFormat(bytes) {
                    // A newer SDK's batch (a shared home, a downgraded tool): left for that SDK, not lost.
                    renameat(directory, claimName, directory, name)
                } else {
                    unlinkat(directory, claimName, 0)
                    losses.withLock { $0.corrupt += 1 }
                }
                close(descriptor)
                continue
            }
            held.withLock { $0[claimName] = descriptor }
            claimed.append((SpoolHandle(claimName), entry))
        }
        return claimed
    }

    /// Deletes a delivered batch: unlinked while still locked, so no other process can take it back.
    package func remove(_ handle: SpoolHandle) {
        guard let directory = directoryDescriptor(), Self.isPlainName(handle.id) else { return }
        unlinkat(directory, handle.id, 0)
        unlock(handle.id)
    }

    /// Gives a claimed batch back, for a later attempt: renamed back while still locked.
    package func release(_ handle: SpoolHandle) {
        guard let directory = directoryDescriptor(), Self.isPlainName(handle.id),
            let range = handle.id.range(ofSuffix: ".claimed-\(token)")
        else { return }
        renameat(directory, handle.id, directory, String(handle.id[..<range.lowerBound]))
        unlock(handle.id)
    }

    private func unlock(_ claimName: String) {
        if let descriptor = held.withLock({ $0.removeValue(forKey: claimName) }) { close(descriptor) }
    }

    /// `name` opened (no links, no blocking) and exclusively locked, if it is a regular file of this
    /// user's and no other holder has it locked; nil otherwise.
    private static func openLocked(_ name: String, in directory: Int32) -> Int32? {
        let descriptor = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
            flock(descriptor, LOCK_EX | LOCK_NB) == 0
        else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Batches evicted, expired or found corrupt since the last call.
    package func takeLosses() -> SpoolLosses {
        losses.withLock { losses in
            defer { losses = SpoolLosses() }
            return losses
        }
    }

    // MARK: Format

    /// `AMTSPOOL1\n` + one line of `key=value;` header + body. The header carries the body's length and
    /// FNV-1a checksum, so truncated or damaged files are recognised.
    static func serialize(_ entry: SpoolEntry) -> [UInt8] {
        let header =
            "signal=\(entry.signal.rawValue);items=\(entry.itemCount);format=\(entry.format);"
            + "type=\(entry.contentType);encoding=\(entry.contentEncoding ?? "");created=\(entry.createdAt.nanosecondsSinceEpoch);"
            + "length=\(entry.body.count);checksum=\(checksum(entry.body))\n"
        return magic + Array(header.utf8) + entry.body
    }

    package static func deserialize(_ bytes: [UInt8]) -> SpoolEntry? {
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
        return SpoolEntry(
            signal: signal, itemCount: items, format: format, contentType: type, contentEncoding: encoding,
            body: body, createdAt: Timestamp(nanosecondsSinceEpoch: created))
    }

    /// Whether `bytes` start like a spool file of a later format (`AMTSPOOL2`…): the same family,
    /// another version.
    static func isLaterFormat(_ bytes: [UInt8]) -> Bool {
        let family = Array("AMTSPOOL".utf8)
        guard bytes.count > family.count, Array(bytes[..<family.count]) == family else { return false }
        let version = bytes[family.count...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return DecimalDigits.value(of: version).map { $0 > 1 } ?? false
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

    private func directoryDescriptor() -> Int32? {
        if case .open(let descriptor) = openDirectory() { return descriptor }
        return nil
    }

    private func openDirectory() -> DirectoryHandle {
        handle.withLock { handle in
            if case .unchecked = handle { handle = Self.openChecked(directory) }
            return handle
        }
    }

    private static func openChecked(_ path: String) -> DirectoryHandle {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            // The default spool sits two levels below the state location (`~/.automagik/spool/<project>`):
            // missing parents are created private too.
            var prefix = path.hasPrefix("/") ? "" : "."
            for component in path.split(separator: "/") {
                prefix += "/" + component
                if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                    return .unusable("cannot create the spool directory \(path) (errno \(errno))")
                }
            }
        }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .unusable(
                errno == ELOOP || errno == ENOTDIR
                    ? "the spool path \(path) is a symbolic link or not a directory"
                    : "cannot open the spool directory \(path) (errno \(errno))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            close(descriptor)
            return .unusable("the spool path \(path) is not a directory")
        }
        guard info.st_uid == geteuid() else {
            close(descriptor)
            return .unusable("the spool directory \(path) belongs to user \(info.st_uid), not to this process's user")
        }
        if info.st_mode & 0o077 != 0 && fchmod(descriptor, 0o700) != 0 {
            close(descriptor)
            return .unusable("the spool directory \(path) is open to other users and its mode cannot be changed")
        }
        return .open(descriptor)
    }

    /// A name inside the directory, never a path: handles come back from callers.
    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && name != "." && name != ".."
    }

    /// Every name in the directory containing the entry suffix, sorted, with stray non-files set aside:
    /// symlinks, FIFOs, sockets and devices named like entries are unlinked (the link, never its target)
    /// and counted corrupt; directories cannot be, so each is counted once and then ignored.
    private func listing(in directory: Int32) -> [String] {
        let copy = dup(directory)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(stream) }
        rewinddir(stream)  // the copy shares the held descriptor's position, left at the end by the last listing
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            guard name.contains(Self.suffix) else { continue }
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                type = info.st_mode & S_IFMT == S_IFREG ? Int32(DT_REG) : info.st_mode & S_IFMT == S_IFDIR ? Int32(DT_DIR) : Int32(DT_LNK)
            }
            if type == Int32(DT_REG) {
                names.append(name)
            } else if type == Int32(DT_DIR) {
                let isNew = strays.withLock { $0.insert(name).inserted }
                if isNew { losses.withLock { $0.corrupt += 1 } }
            } else if unlinkat(directory, name, 0) == 0 {
                losses.withLock { $0.corrupt += 1 }
            }
        }
        return names.sorted()
    }

    private func entries(in directory: Int32) -> [String] {
        listing(in: directory).filter { $0.hasSuffix(Self.suffix) }
    }

    private func size(of name: String, in directory: Int32) -> Int {
        var info = stat()
        return fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? Int(info.st_size) : 0
    }

    private func itemCount(of name: String, in directory: Int32) -> Int {
        guard let bytes = read(name, in: directory, limit: 512),
            let newline = bytes.firstIndex(of: UInt8(ascii: "\n"), after: Self.magic.count)
        else { return 0 }
        let header = String(decoding: bytes[Self.magic.count..<newline], as: UTF8.self)
        return header.split(separator: ";").first { $0.hasPrefix("items=") }.flatMap { Int($0.dropFirst(6)) } ?? 0
    }

    /// Evicts the oldest unclaimed files until `incoming` more bytes fit.
    private func makeRoom(for incoming: Int, in directory: Int32) {
        let stored = entries(in: directory)
        var total = stored.reduce(0) { $0 + size(of: $1, in: directory) }
        for name in stored where total + incoming > maxBytes {
            let items = itemCount(of: name, in: directory)
            let bytes = size(of: name, in: directory)
            if unlinkat(directory, name, 0) == 0 {
                total -= bytes
                losses.withLock { $0.evictedForSpace += items }
            }
        }
    }

    private func expireOld(in directory: Int32) {
        let cutoff = clock.now().advanced(by: .zero - maxAge).nanosecondsSinceEpoch
        for name in entries(in: directory) {
            guard let created = UInt64(name.prefix(20)), created < cutoff else { continue }
            let items = itemCount(of: name, in: directory)
            if unlinkat(directory, name, 0) == 0 { losses.withLock { $0.expired += items } }
        }
    }

    /// Claims nobody holds a lock on (their process died, or was killed) go back to the queue. A claim
    /// named by an SDK before locks (`claimed-PID`) holds none, so it is recovered too.
    private func recoverAbandonedClaims(in directory: Int32) {
        for name in listing(in: directory) {
            guard let range = name.range(ofInfix: ".claimed-"), name[range.upperBound...] != token,
                let descriptor = Self.openLocked(name, in: directory)
            else { continue }
            renameat(directory, name, directory, String(name[..<range.lowerBound]))
            close(descriptor)
        }
    }

    /// The file's bytes, or nil unless it is a regular file owned by this user and no larger than the
    /// largest entry this spool writes. Opened without following symlinks and without blocking.
    private func read(_ name: String, in directory: Int32, limit: Int? = nil) -> [UInt8]? {
        let descriptor = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return read(descriptor, limit: limit)
    }

    /// The bytes of the open file `descriptor` (from its start), with the same checks.
    private func read(_ descriptor: Int32, limit: Int? = nil) -> [UInt8]? {
        var info = stat()
        let largest = maxBytes + Self.headerAllowance
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
            Int(info.st_size) <= largest
        else { return nil }
        let wanted = min(limit ?? largest, Int(info.st_size))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wanted)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < wanted {
            let count = buffer.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, min($0.count, wanted - bytes.count), off_t(bytes.count))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return bytes
    }
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
