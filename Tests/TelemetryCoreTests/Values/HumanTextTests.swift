import TelemetryCore
import Testing

@Suite struct HumanTextTests {
    @Test(arguments: [
        ("https://user:pw@host.example/v1", "https://<redacted>@host.example/v1"),
        ("http://u@127.0.0.1:8123", "http://<redacted>@127.0.0.1:8123"),
        ("a http://x:y@h/p?q=a@b and https://k:v@i", "a http://<redacted>@h/p?q=a@b and https://<redacted>@i"),
        ("http://h/p@q", "http://h/p@q"),
        ("mail jane@example.com", "mail jane@example.com"),
        ("http://a:b@c:d@host", "http://<redacted>@host"),
        ("://@", "://<redacted>@"),
        ("https://", "https://"),
    ])
    func userinfoIsReplaced(text: String, expected: String) {
        #expect(HumanText.withoutUserinfo(text) == expected)
    }

    @Test func printableKeepsTextAndTabsAndOptionallyLineFeeds() {
        #expect(HumanText.printable("a\tb\nc") == "a\tb\nc")
        #expect(HumanText.printable("a\nb", keepLineFeeds: false) == "a b")
        #expect(HumanText.printable("x\u{1B}[2Jy\u{202E}z\u{7F}") == "x [2Jy z ")
        #expect(HumanText.printable("日本語 é 🙂") == "日本語 é 🙂")
    }

    @Test func boundedCutsWithAnEllipsis() {
        #expect(HumanText.bounded("abcdef", limit: 3) == "abc…")
        #expect(HumanText.bounded("abc", limit: 3) == "abc")
        #expect(HumanText.bounded("abc", limit: -1) == "…")
    }
}
