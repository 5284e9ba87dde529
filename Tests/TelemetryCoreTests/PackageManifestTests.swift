import Foundation
import Testing

/// What Apple apps can adopt, read from the package manifest as SwiftPM resolves it
/// (`swift package dump-package`), and the imports that would raise the floor or drag UI frameworks
/// into server builds.
@Suite struct PackageManifestTests {
    static let root = ArchitectureTests.root

    private static func sources(under folders: [String]) -> [(path: String, text: String)] {
        folders.flatMap { folder -> [(path: String, text: String)] in
            let base = root.appendingPathComponent(folder).path
            let enumerator = FileManager.default.enumerator(atPath: base)
            return (enumerator?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".swift") }.compactMap { relative in
                (try? String(contentsOfFile: base + "/" + relative, encoding: .utf8)).map { ("\(folder)/\(relative)", $0) }
            }
        }
    }

    @Test func thePlatformFloorIsMacOS13IOS16TvOS16WatchOS9() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let scratch = NSTemporaryDirectory() + "automagik-dump-\(UUID().uuidString)"
        process.arguments = ["swift", "package", "dump-package", "--package-path", Self.root.path, "--scratch-path", scratch]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: scratch)
        #expect(process.terminationStatus == 0)
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let platforms = try #require(manifest["platforms"] as? [[String: Any]])
        var floor: [String: String] = [:]
        for platform in platforms { floor[platform["platformName"] as? String ?? ""] = platform["version"] as? String }
        // Set by Duration and Clock in the public API (macOS 13 / iOS 16); the README says so.
        #expect(floor == ["macos": "13.0", "ios": "16.0", "tvos": "16.0", "watchos": "9.0"])
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("iOS 16") && readme.contains("macOS 13") && readme.contains("watchOS 9") && readme.contains("tvOS 16"))
    }

    @Test func nothingImportsSynchronizationWhichAloneWouldRequireIOS18() {
        let sources = Self.sources(under: ["Modules", "Adapters", "Tests", "Benchmarks"])
        #expect(sources.count > 100, "the scan found the sources")
        for (path, text) in sources where text.split(separator: "\n").contains(where: { $0.hasSuffix("import Synchronization") }) {
            Issue.record("\(path) imports Synchronization")
        }
    }

    @Test func onlyTheLifecycleProductLinksUIFrameworks() {
        let frameworks = ["import UIKit", "import AppKit", "import WatchKit", "import SwiftUI"]
        for (path, text) in Self.sources(under: ["Modules", "Adapters"]) where !path.hasPrefix("Adapters/AutomagikTelemetryLifecycle/") {
            for line in text.split(separator: "\n") where frameworks.contains(line.trimmingCharacters(in: .whitespaces)) {
                Issue.record("\(path): \(line) (servers and command-line tools must never link a UI framework)")
            }
        }
    }
}
