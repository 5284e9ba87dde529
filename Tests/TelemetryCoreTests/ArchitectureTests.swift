import Foundation
import Testing

/// The pure domain stays pure: nothing under Modules/ imports an I/O library or calls into the
/// clock, the environment, the file system, the network or randomness. Those enter through ports.
@Suite struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var moduleSources: [(path: String, text: String)] {
        let modules = root.appendingPathComponent("Modules").path
        let enumerator = FileManager.default.enumerator(atPath: modules)
        return (enumerator?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".swift") }.compactMap { relative in
            (try? String(contentsOfFile: modules + "/" + relative, encoding: .utf8)).map { (relative, $0) }
        }
    }

    @Test func domainModulesImportNoIOLibrary() {
        let sources = Self.moduleSources
        #expect(sources.count > 20, "the scan found the sources")
        let forbidden = ["import Foundation", "import FoundationNetworking", "import Dispatch", "import FoundationEssentials"]
        for (path, text) in sources {
            for line in text.split(separator: "\n") where forbidden.contains(line.trimmingCharacters(in: .whitespaces)) {
                Issue.record("\(path) has \(line)")
            }
        }
    }

    @Test func domainModulesCallNoClockEnvironmentFileNetworkOrRandomness() {
        let calls = [
            "clock_gettime(", "gettimeofday(", "Date()", "getenv(", "ProcessInfo", "fopen(", "O_RDONLY", "O_WRONLY", "O_CREAT", "socket(", "connect(",
            "SystemRandomNumberGenerator", ".random(in:", "arc4random", "FileManager", "URLSession", "Task.sleep",
        ]
        for (path, text) in Self.moduleSources {
            // Code only: doc comments may name the adapters that do these things.
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            for call in calls where code.contains(call) {
                Issue.record("\(path) calls \(call)")
            }
        }
    }
}
