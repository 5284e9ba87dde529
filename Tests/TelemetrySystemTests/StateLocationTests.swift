import Foundation
import Testing
import TelemetryCore
import TelemetrySystem

@Suite struct StateLocationTests {
    @Test func commandLineToolsKeepTheOriginalSDKsPaths() {
        let location = StateLocation.homeDirectory("/home/ana")
        #expect(location.directory == "/home/ana/.automagik")
        #expect(location.optOutMarker == "/home/ana/.automagik-no-telemetry")
        #expect(!location.excludedFromBackup)
        #if os(Linux)
        #expect(StateLocation.current(home: "/home/ana") == location, "a Linux process is never an app bundle")
        #expect(StateLocation.current(home: "/home/ana", appGroup: "group.example") == location)
        #endif
    }

    @Test func appsKeepStateInApplicationSupportOutOfBackups() {
        let location = StateLocation.applicationSupport("/var/mobile/Containers/Data/Application/X/Library/Application Support/com.example.app")
        #expect(location.directory.hasSuffix("/Library/Application Support/com.example.app/Automagik"))
        #expect(location.optOutMarker == location.directory + "/no-telemetry", "inside the app's storage, not a dot-file at the container root")
        #expect(location.excludedFromBackup)
        let store = FileStateStore(location: location)
        #expect(store.path(of: .anonymousID) == location.directory + "/user_id")
        #expect(store.path(of: .optOutMarker) == location.directory + "/no-telemetry")
    }

    @Test func theAppLayoutCreatesMissingParentsPrivately() throws {
        // A fresh app container has no Application Support folder until someone creates it.
        let container = NSTemporaryDirectory() + "automagik-container-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: container, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: container) }
        let store = FileStateStore(location: .applicationSupport(container + "/Library/Application Support/com.example.app"))
        try store.write(.anonymousID, value: "id-1")
        try store.write(.optOutMarker, value: "")
        #expect(store.read(.anonymousID) == "id-1")
        #expect(store.read(.optOutMarker) != nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.stateDirectory)
        #expect((attributes[.posixPermissions] as! NSNumber).intValue == 0o700)
        let root = try FileManager.default.contentsOfDirectory(atPath: container)
        #expect(root == ["Library"], "nothing at the container's root but Library")
    }

    @Test func theHomeLayoutStillNamesItsHome() {
        #expect(FileStateStore(homeDirectory: "/home/ana").homeDirectory == "/home/ana")
        #expect(FileStateStore(location: .homeDirectory("/srv")).stateDirectory == "/srv/.automagik")
    }
}
