import Foundation
import Testing

/// What users can see is a budget. Everything a user does not call is `package` (used across this
/// package's modules) or internal; the few cross-module utilities that must stay `public` for speed
/// (`LockedBox`, the atomics, `JSONWriter`: a `package` generic is not specialised across modules) are
/// `@_spi(Internals)`, invisible to a plain `import`. This test counts the declarations a plain
/// `import` shows — types, functions, initialisers and properties, the CLI aside — and fails when the
/// count grows past the ceiling, naming the modules, so a new public symbol is a decision.
///
/// The ceiling is a ratchet: lower it when the surface shrinks, never raise it without a reason in
/// the commit. Issue #14 asked for 250; 656 remain, about 340 of them properties of the values users read or
/// set (settings, statistics, status, the records custom exporters receive).
@Suite struct PublicSurfaceTests {
    // 659: +3 for programs that come and go (issue #23): `SpoolSettings.Persistence`, `persistence`, and
    // `AutomagikTelemetry.exitBudget`, the default every leaving program's wait is measured against.
    static let ceiling = 659

    @Test func thePublicSurfaceStaysWithinItsCeiling() throws {
        let counts = try Self.publicDeclarationsByModule()
        let total = counts.values.reduce(0, +)
        #expect(total > 300, "the scan found the public declarations")
        let largest = counts.sorted { $0.value > $1.value }.prefix(6).map { "\($0.key) \($0.value)" }
        #expect(total <= Self.ceiling, "\(total) public declarations, ceiling \(Self.ceiling): \(largest)")
    }

    @Test func utilitiesBehindTheInternalsSPIAreNotCounted() {
        let source = """
            @_spi(Internals) public final class Box {
                public init() {}
                public func value() -> Int { 1 }
            }

            /// Counted.
            public struct Visible {
                /// Counted.
                public var field = 0
            }
            """
        #expect(Self.countPublicDeclarations(in: source) == 2)
    }

    /// Public declarations per module under Modules/ and Adapters/ (the CLI is an executable).
    static func publicDeclarationsByModule() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for folder in ["Modules", "Adapters"] {
            let base = ArchitectureTests.root.appendingPathComponent(folder).path
            let files = (FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("AutomagikTelemetryCLI/") }
            for file in files {
                let module = String(file.prefix { $0 != "/" })
                let text = try String(contentsOfFile: base + "/" + file, encoding: .utf8)
                counts[module, default: 0] += countPublicDeclarations(in: text)
            }
        }
        return counts
    }

    /// Counts `public` / `open` declarations, skipping everything inside an `@_spi(…)` declaration
    /// (the lines indented deeper than it, up to its closing brace; the formatter guarantees indentation).
    static func countPublicDeclarations(in text: String) -> Int {
        var count = 0
        var hiddenBelowIndent: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let indent = line.prefix { $0 == " " }.count
            if let hidden = hiddenBelowIndent {
                if indent > hidden || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                hiddenBelowIndent = nil
            }
            guard DocumentationCoverageTests.isPublicDeclaration(String(line)) else { continue }
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("@_spi(") {
                hiddenBelowIndent = indent
            } else {
                count += 1
            }
        }
        return count
    }
}
