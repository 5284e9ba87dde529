import Foundation
import Testing
import TelemetryCore
import TelemetrySystem

@Suite struct FileStateStoreTests {
    private func temporaryHome() throws -> String {
        let path = NSTemporaryDirectory() + "automagik-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue
    }

    @Test func usesTheOriginalSDKsPaths() {
        let store = FileStateStore(homeDirectory: "/h")
        #expect(store.path(of: .optOutMarker) == "/h/.automagik-no-telemetry")
        #expect(store.path(of: .consent) == "/h/.automagik/telemetry_preference")
        #expect(store.path(of: .anonymousID) == "/h/.automagik/user_id")
        #expect(store.path(of: .hashSalt) == "/h/.automagik/salt")
    }

    @Test func writesPrivatelyAndReadsBack() throws {
        let home = try temporaryHome()
        let store = FileStateStore(homeDirectory: home)
        #expect(store.read(.anonymousID) == nil)
        try store.write(.anonymousID, value: "abc")
        #expect(store.read(.anonymousID) == "abc")
        #expect(try mode(store.path(of: .anonymousID)) == 0o600)
        #expect(try mode(store.stateDirectory) == 0o700)
        try store.write(.anonymousID, value: "def")
        #expect(store.read(.anonymousID) == "def")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.stateDirectory)
        #expect(leftovers == ["user_id"])
        try store.remove(.anonymousID)
        try store.remove(.anonymousID)
        #expect(store.read(.anonymousID) == nil)
    }

    @Test func optOutMarkerIsPresenceOnly() throws {
        let home = try temporaryHome()
        let store = FileStateStore(homeDirectory: home)
        #expect(store.read(.optOutMarker) == nil)
        _ = FileManager.default.createFile(atPath: home + "/.automagik-no-telemetry", contents: Data())
        #expect(store.read(.optOutMarker) == "")
    }

    @Test func aFIFOOrALinkToADeviceIsNotRead() throws {
        let home = try temporaryHome()
        let store = FileStateStore(homeDirectory: home)
        try FileManager.default.createDirectory(atPath: store.stateDirectory, withIntermediateDirectories: true)
        #expect(mkfifo(store.path(of: .anonymousID), 0o600) == 0)
        #expect(store.read(.anonymousID) == nil, "returns at once instead of waiting for a writer")
        #expect(symlink("/dev/zero", store.path(of: .hashSalt)) == 0)
        #expect(store.read(.hashSalt) == nil)
    }

    @Test func aPlantedTemporaryFileIsNotWrittenThrough() throws {
        let home = try temporaryHome()
        let store = FileStateStore(homeDirectory: home)
        try FileManager.default.createDirectory(atPath: store.stateDirectory, withIntermediateDirectories: true)
        let victim = home + "/victim"
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        #expect(symlink(victim, store.path(of: .anonymousID) + ".tmp-\(getpid())") == 0)
        try store.write(.anonymousID, value: "abc")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(store.read(.anonymousID) == "abc")
    }

    @Test func trimsWhitespace() throws {
        let home = try temporaryHome()
        try FileManager.default.createDirectory(atPath: home + "/.automagik", withIntermediateDirectories: true)
        try "  true \n\n".write(toFile: home + "/.automagik/telemetry_preference", atomically: true, encoding: .utf8)
        #expect(FileStateStore(homeDirectory: home).read(.consent) == "true")
    }

    @Test func homeComesFromTheEnvironment() {
        let store = FileStateStore.forCurrentUser(environment: DictionaryEnvironment(["HOME": "/somewhere"]))
        #expect(store.homeDirectory == "/somewhere")
    }

    @Test func unwritableHomeThrows() {
        let store = FileStateStore(homeDirectory: "/proc/definitely-not-writable")
        #expect(throws: StateStoreError.self) { try store.write(.consent, value: "true") }
    }

    /// Issue #23: a shared writable home let another local user switch telemetry on and choose the salt.
    /// Files or a state directory writable by others, or owned by another user, are not trusted for
    /// consent, identity or salt; a saved opt-out is honoured anyway (it can only make things more private).
    @Test func stateOthersCanWriteIsNotTrusted() throws {
        let home = try temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = FileStateStore(homeDirectory: home)
        try store.write(.consent, value: "true")
        try store.write(.hashSalt, value: String(repeating: "s", count: 40))
        #expect(store.read(.consent) == "true")
        chmod(store.path(of: .consent), 0o666)
        chmod(store.path(of: .hashSalt), 0o620)
        #expect(store.read(.consent) == nil)
        #expect(store.read(.hashSalt) == nil)

        try store.write(.consent, value: "false")
        chmod(store.path(of: .consent), 0o666)
        #expect(store.read(.consent) == "false", "an opt-out is honoured from any file")

        try store.write(.anonymousID, value: "id")
        #expect(store.read(.anonymousID) == "id")
        chmod(store.stateDirectory, 0o777)
        #expect(store.read(.anonymousID) == nil, "a directory others can write to is not trusted either")
    }

    @Test func stateOwnedByAnotherUserIsNotTrusted() throws {
        // Changing a file's owner needs root (CI and this project's machines run the suite as root).
        guard geteuid() == 0 else { return }
        let home = try temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = FileStateStore(homeDirectory: home)
        try store.write(.anonymousID, value: "id")
        #expect(chown(store.path(of: .anonymousID), 65_534, 65_534) == 0)
        #expect(store.read(.anonymousID) == nil)
        try store.write(.anonymousID, value: "id")  // replaced (write-then-rename), owned by us again
        #expect(store.read(.anonymousID) == "id")
        #expect(chown(store.stateDirectory, 65_534, 65_534) == 0)
        #expect(store.read(.anonymousID) == nil)
    }
}
