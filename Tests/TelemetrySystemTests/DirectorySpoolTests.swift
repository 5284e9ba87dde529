import Foundation
import Testing
@_spi(Internals) import TelemetryCore
@testable import TelemetrySystem

final class SpoolFixedClock: TelemetryClock {
    let time = LockedBox(Timestamp(nanosecondsSinceEpoch: 1_800_000_000_000_000_000))
    func now() -> Timestamp { time.withLock { $0 } }
    func sleep(for duration: Duration) async throws {}
}

@Suite struct DirectorySpoolTests {
    let clock = SpoolFixedClock()

    private func directory() -> String { NSTemporaryDirectory() + "automagik-spool-\(UUID().uuidString)" }

    private func entry(_ body: String, items: Int = 3, at offset: Int64 = 0) -> SpoolEntry {
        SpoolEntry(
            signal: .traces, itemCount: items, format: "otlp/http/protobuf", contentType: "application/x-protobuf",
            contentEncoding: "gzip", body: Array(body.utf8), createdAt: clock.now().advanced(by: .nanoseconds(offset)))
    }

    @Test func storesDurablyAndHandsOutOldestFirstOnce() throws {
        let path = directory()
        let spool = DirectorySpool(directory: path, clock: clock)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is created before the first store")
        _ = try #require(spool.store(entry("second", at: 2)))
        _ = try #require(spool.store(entry("first", at: 1)))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
        for file in try FileManager.default.contentsOfDirectory(atPath: path) {
            let fileMode = try FileManager.default.attributesOfItem(atPath: path + "/" + file)[.posixPermissions] as? NSNumber
            #expect(fileMode?.intValue == 0o600)
        }
        let claimed = spool.claimOldest(limit: 10)
        #expect(claimed.map { String(decoding: $0.entry.body, as: UTF8.self) } == ["first", "second"])
        #expect(claimed[0].entry == entry("first", at: 1))
        #expect(spool.claimOldest(limit: 10).isEmpty, "claimed entries are not handed out twice")
        let other = DirectorySpool(directory: path, clock: clock)
        #expect(other.claimOldest(limit: 10).isEmpty, "nor to another spool on the same directory")
        spool.release(claimed[1].handle)
        spool.remove(claimed[0].handle)
        #expect(other.claimOldest(limit: 10).map { String(decoding: $0.entry.body, as: UTF8.self) } == ["second"])
    }

    /// Issue #23: claims were keyed by a bare process id, so two containers sharing a home (both PID 1)
    /// took each other's claims for their own, and `kill(pid, 0)` asked about the wrong process. A claim
    /// is now a lock: held while its spool lives (another spool in this very process, as another PID 1
    /// would be, cannot take it), dropped by the kernel when the holder goes.
    @Test func claimsAreLocksNotProcessIDs() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var first: DirectorySpool? = DirectorySpool(directory: path, clock: clock)
        _ = try #require(first?.store(entry("a", at: 1)))
        _ = try #require(first?.store(entry("b", at: 2)))
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        #expect(!names.contains { $0.contains("-\(getpid()).spool") }, "file names carry a random token, not the PID")

        let claimedByFirst = try #require(first?.claimOldest(limit: 1))
        #expect(claimedByFirst.map { String(decoding: $0.entry.body, as: UTF8.self) } == ["a"])
        let second = DirectorySpool(directory: path, clock: clock)
        let claimedBySecond = second.claimOldest(limit: 10)
        #expect(claimedBySecond.map { String(decoding: $0.entry.body, as: UTF8.self) } == ["b"], "a held claim is not recovered")

        first = nil  // the holder goes away (as a killed process would): its lock goes with it
        let recovered = second.claimOldest(limit: 10)
        #expect(recovered.map { String(decoding: $0.entry.body, as: UTF8.self) } == ["a"])
        for claim in claimedBySecond + recovered { second.remove(claim.handle) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).isEmpty)
    }

    @Test func aReleasedClaimIsFreeForAnyone() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = DirectorySpool(directory: path, clock: clock)
        _ = try #require(first.store(entry("a")))
        let claim = try #require(first.claimOldest(limit: 1).first)
        first.release(claim.handle)
        let other = DirectorySpool(directory: path, clock: clock)
        #expect(other.claimOldest(limit: 1).map { String(decoding: $0.entry.body, as: UTF8.self) } == ["a"])
    }

    /// Issue #23: a batch written by a newer SDK (a shared home, a downgraded tool) is left for it, not
    /// counted corrupt and removed.
    @Test func aLaterFormatsBatchIsLeftAlone() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = DirectorySpool(directory: path, clock: clock)
        _ = try #require(spool.store(entry("mine", at: 2)))
        let later = path + "/01800000000000000001-00000001-feedface.spool"
        try Data("AMTSPOOL2\nsignal=traces;whatever=new\nbody".utf8).write(to: URL(fileURLWithPath: later))
        chmod(later, 0o600)
        let claimed = spool.claimOldest(limit: 10)
        #expect(claimed.map { String(decoding: $0.entry.body, as: UTF8.self) } == ["mine"])
        #expect(FileManager.default.fileExists(atPath: later))
        #expect(spool.takeLosses().corrupt == 0)
        #expect(DirectorySpool.isLaterFormat(Array("AMTSPOOL10\n".utf8)))
        #expect(!DirectorySpool.isLaterFormat(Array("AMTSPOOL1\n".utf8)))
        #expect(!DirectorySpool.isLaterFormat(Array("AMTSPOOL\n".utf8)))
    }

    @Test func corruptAndTruncatedFilesAreRemovedAndCounted() throws {
        let path = directory()
        let spool = DirectorySpool(directory: path, clock: clock)
        _ = spool.store(entry("good one"))
        _ = spool.store(entry("will be cut", at: 1))
        let files = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        let victim = path + "/" + files[1]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: victim))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: victim))
        let name = "\(clock.now().nanosecondsSinceEpoch)-00000001-1.spool"
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path + "/" + name))
        let claimed = spool.claimOldest(limit: 10)
        #expect(claimed.map { String(decoding: $0.entry.body, as: UTF8.self) } == ["good one"])
        #expect(spool.takeLosses().corrupt == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).count == 1)
    }

    @Test func oldestAreEvictedBeyondTheByteLimit() throws {
        let spool = DirectorySpool(directory: directory(), maxBytes: 1024, clock: clock)
        for index in 0..<5 { _ = spool.store(entry(String(repeating: "x", count: 300), items: 10, at: Int64(index))) }
        #expect(spool.claimOldest(limit: 10).count == 2)
        #expect(spool.takeLosses().evictedForSpace == 30)
    }

    @Test func expiredBatchesAreDroppedAndCounted() throws {
        let spool = DirectorySpool(directory: directory(), maxAge: .seconds(60), clock: clock)
        _ = spool.store(entry("old", items: 4, at: -120_000_000_000))
        _ = spool.store(entry("fresh"))
        #expect(spool.claimOldest(limit: 10).map { String(decoding: $0.entry.body, as: UTF8.self) } == ["fresh"])
        #expect(spool.takeLosses().expired == 4)
    }

    @Test func formatRoundTripsAndRejectsDamage() {
        let original = entry("body\nwith\0bytes")
        let bytes = DirectorySpool.serialize(original)
        #expect(DirectorySpool.deserialize(bytes) == original)
        var damaged = bytes
        damaged[damaged.count - 1] ^= 0xFF
        #expect(DirectorySpool.deserialize(damaged) == nil)
        #expect(DirectorySpool.deserialize(Array(bytes.prefix(12))) == nil)
    }

    // MARK: A hostile directory

    private func entryName(_ sequence: Int) -> String {
        "\(clock.now().nanosecondsSinceEpoch)-\(String(format: "%08d", sequence))-1.spool"
    }

    @Test func aFIFONamedLikeAnEntryNeitherBlocksNorIsRecounted() async throws {
        let path = directory()
        let spool = DirectorySpool(directory: path, clock: clock)
        _ = try #require(spool.store(entry("real", at: 5)))
        #expect(mkfifo(path + "/" + entryName(1), 0o600) == 0)
        // Opening a FIFO for reading blocks until a writer appears, unless opened non-blocking.
        let claim = Task.detached { spool.claimOldest(limit: 10).map { String(decoding: $0.entry.body, as: UTF8.self) } }
        let watchdog = Task.detached {
            try await Task.sleep(for: .seconds(20))
            let writer = open(path + "/" + self.entryName(1) + ".claimed-\(getpid())", O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
        }
        #expect(await claim.value == ["real"])
        watchdog.cancel()
        #expect(spool.takeLosses().corrupt == 1)
        #expect(spool.claimOldest(limit: 10).isEmpty)
        #expect(spool.takeLosses().corrupt == 0)
    }

    @Test func symlinksNamedLikeEntriesAreNeverFollowed() throws {
        let path = directory()
        let spool = DirectorySpool(directory: path, clock: clock)
        spool.checkDirectory()
        // A valid entry outside the spool: following the link would hand it out.
        let outside = NSTemporaryDirectory() + "automagik-outside-\(UUID().uuidString)"
        try Data(DirectorySpool.serialize(entry("planted"))).write(to: URL(fileURLWithPath: outside))
        defer { unlink(outside) }
        #expect(symlink(outside, path + "/" + entryName(1)) == 0)
        #expect(symlink("/dev/zero", path + "/" + entryName(2)) == 0)
        #expect(spool.claimOldest(limit: 10).isEmpty)
        #expect(spool.takeLosses().corrupt == 2)
        #expect(FileManager.default.fileExists(atPath: outside), "the link is removed, never its target")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).isEmpty)
    }

    @Test func filesLargerThanAnyEntryAreNotRead() throws {
        let path = directory()
        let spool = DirectorySpool(directory: path, maxBytes: 4096, clock: clock)
        spool.checkDirectory()
        let name = path + "/" + entryName(1)
        #expect(FileManager.default.createFile(atPath: name, contents: Data(DirectorySpool.serialize(entry("x")))))
        #expect(truncate(name, 1 << 30) == 0)  // sparse: a gigabyte that costs nothing to make
        #expect(spool.claimOldest(limit: 10).isEmpty)
        #expect(spool.takeLosses().corrupt == 1)
    }

    @Test func aDirectoryNamedLikeAnEntryIsCountedOnce() throws {
        let path = directory()
        let spool = DirectorySpool(directory: path, clock: clock)
        spool.checkDirectory()
        try FileManager.default.createDirectory(atPath: path + "/" + entryName(1), withIntermediateDirectories: false)
        _ = try #require(spool.store(entry("real")))
        #expect(spool.claimOldest(limit: 10).count == 1)
        #expect(spool.claimOldest(limit: 10).isEmpty)
        #expect(spool.takeLosses().corrupt == 1)
    }

    @Test func aSymlinkedDirectoryIsRefused() throws {
        let target = directory()
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        let path = directory()
        #expect(symlink(target, path) == 0)
        let spool = DirectorySpool(directory: path, clock: clock)
        #expect(spool.checkDirectory()?.contains("symbolic link") == true)
        #expect(spool.store(entry("x")) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test func aDirectoryOpenToOthersIsClosedToThem() throws {
        let path = directory()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        chmod(path, 0o777)
        #expect(DirectorySpool(directory: path, clock: clock).checkDirectory() == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give the directory away"))
    func aDirectoryOfAnotherUserIsRefused() throws {
        let path = directory()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(chown(path, 4242, 4242) == 0)
        let spool = DirectorySpool(directory: path, clock: clock)
        #expect(spool.checkDirectory()?.contains("belongs to user 4242") == true)
        #expect(spool.store(entry("x")) == nil)
    }

    @Test func swappingThePathForASymlinkLaterChangesNothing() throws {
        let path = directory()
        let spool = DirectorySpool(directory: path, clock: clock)
        _ = try #require(spool.store(entry("first")))
        let moved = path + "-moved"
        let elsewhere = directory()
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        #expect(rename(path, moved) == 0)
        #expect(symlink(elsewhere, path) == 0)
        _ = try #require(spool.store(entry("second", at: 1)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: moved).count == 2)
    }
}
