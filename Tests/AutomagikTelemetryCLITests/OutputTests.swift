@testable import AutomagikTelemetryCLI
import Testing

/// Review #22 (low): `schema check` printed server-supplied names raw (terminal escape sequences, bidi
/// controls). Every line the CLI writes leaves through `StandardStreams.safe`.
@Suite struct OutputTests {
    @Test func terminalEscapesAndBidiControlsNeverReachTheTerminal() {
        let line = StandardStreams.safe("missing column \u{1B}]0;pwned\u{07}name\u{202E}txt.exe")
        #expect(!line.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(line.contains("missing column"))
    }

    @Test func urlCredentialsNeverReachTheTerminal() {
        #expect(StandardStreams.safe("clickhouse: http://writer:pa55@db:8123") == "clickhouse: http://<redacted>@db:8123")
    }

    @Test func multiLineOutputKeepsItsLines() {
        #expect(StandardStreams.safe("a\n\tb") == "a\n\tb")
    }
}
