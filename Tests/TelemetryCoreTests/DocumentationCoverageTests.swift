import Foundation
import Testing

/// Every public declaration of the library (modules and adapters, the CLI aside) carries a doc comment:
/// what users call must say its contract. A new undocumented `public` fails here with its location.
@Suite struct DocumentationCoverageTests {
    @Test func everyPublicDeclarationIsDocumented() throws {
        let root = ArchitectureTests.root
        var declarations = 0
        var undocumented: [String] = []
        for folder in ["Modules", "Adapters"] {
            let base = root.appendingPathComponent(folder).path
            let files = (FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("AutomagikTelemetryCLI/") }
            for file in files {
                let lines = try String(contentsOfFile: base + "/" + file, encoding: .utf8).components(separatedBy: "\n")
                for (index, line) in lines.enumerated() where Self.isPublicDeclaration(line) {
                    declarations += 1
                    var above = index - 1
                    while above >= 0 && lines[above].trimmingCharacters(in: .whitespaces).hasPrefix("@") { above -= 1 }
                    if above < 0 || !lines[above].trimmingCharacters(in: .whitespaces).hasPrefix("///") {
                        undocumented.append("\(folder)/\(file):\(index + 1)")
                    }
                }
            }
        }
        #expect(declarations > 500, "the scan found the public declarations")
        #expect(undocumented.isEmpty, "\(undocumented.count) of \(declarations) public declarations lack a doc comment: \(undocumented.prefix(20))")
    }

    /// `public …` or `open …` (after attributes), not `public import`.
    static func isPublicDeclaration(_ line: String) -> Bool {
        var text = Substring(line.trimmingCharacters(in: .whitespaces))
        while text.hasPrefix("@"), let space = text.firstIndex(of: " ") { text = text[space...].drop { $0 == " " } }
        return (text.hasPrefix("public ") || text.hasPrefix("open ")) && !text.hasPrefix("public import")
    }
}
