#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import TelemetrySystem

@Suite struct DurableFileTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "automagik-durable-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func replacesTheTargetWholeWithAPrivateFile() throws {
        let folder = try directory()
        let target = folder + "/state"
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        #expect(DurableFile.replace(target, with: Array("new".utf8), via: target + ".tmp") == nil)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!FileManager.default.fileExists(atPath: target + ".tmp"))
    }

    @Test func neverWritesThroughAPlantedTemporaryAndLeavesTheTargetAlone() throws {
        let folder = try directory()
        let target = folder + "/state", victim = folder + "/victim"
        try "keep".write(toFile: target, atomically: false, encoding: .utf8)
        try "victim".write(toFile: victim, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: target + ".tmp", withDestinationPath: victim)
        let failure = DurableFile.replace(target, with: Array("new".utf8), via: target + ".tmp")
        #expect(failure?.operation == "create")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "victim")
    }

    @Test func worksRelativeToADirectoryDescriptor() throws {
        let folder = try directory()
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        #expect(DurableFile.replace("entry", with: [1, 2, 3], via: ".tmp-1", in: descriptor) == nil)
        #expect(FileManager.default.contents(atPath: folder + "/entry") == Data([1, 2, 3]))
    }
}
