import AutomagikTelemetryTestKit
import Testing
import TelemetryCore
import TelemetryPrivacy

/// Random text with a secret embedded anywhere — start, middle, end, inside URLs, JSON, next to
/// Unicode — never comes out with the secret in it.
@Suite struct PropertyTests {
    struct Generator {
        /// The test kit's one seeded generator (SplitMix64), so a failing case replays from its seed.
        let source: SeededRandomSource
        init(state: UInt64) { source = SeededRandomSource(seed: state) }
        func next() -> UInt64 { source.nextUInt64() }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    static let secrets: [(String, [String])] = [
        // (secret, fragments that must not survive)
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", ["4eC39HqLyjWDarjtT1zdp7dc"]),
        ("AKIAIOSFODNN7EXAMPLE", ["IOSFODNN7EXAMPLE"]),
        ("ghp_R2D2C3POabcdefghijklmnopqrstuvwx", ["R2D2C3POabcdefghijklmnopqrstuvwx"]),
        ("jane.doe@corp-mail.net", ["jane.doe", "corp-mail"]),
        ("4012888888881881", ["4012888888881881", "1881"]),
        ("4012 8888 8888 1881", ["8888 1881", "4012"]),
        ("+1 415 555 2671", ["555 2671", "415 555"]),
        ("203.0.113.195", ["203.0.113.195"]),
        ("2001:db8:85a3::8a2e:370:7334", ["8a2e:370:7334"]),
        ("/home/alice/projects", ["alice"]),
        ("Bearer tok_9a8b7c6d5e4f3g2h", ["tok_9a8b7c6d5e4f3g2h"]),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ", ["eyJzdWIiOiJhbGljZSJ9"]),
    ]
    static let fillers = ["", " ", "hello world", "日本語テキスト", "🙂👍🏽", "x", "\n", "\t", "-- ", "value: ", "ok.", "é"]
    static let wrappers: [(String, String)] = [
        ("", ""), ("(", ")"), ("\"", "\""), ("[", "]"), ("<", ">"), ("'", "'"), ("{\"k\":\"", "\"}"),
        ("https://site.test/?q=", "&page=2"), ("mailto:", ""), ("user=", ";"), ("log: ", "."),
    ]

    @Test func embeddedSecretsNeverSurvive() {
        let sanitizer = PrivacySanitizer(salt: Array("property".utf8))
        var random = Generator(state: 20_261_127)
        for _ in 0..<5_000 {
            let (secret, fragments) = random.pick(Self.secrets)
            let (open, close) = random.pick(Self.wrappers)
            let text = random.pick(Self.fillers) + " " + open + secret + close + " " + random.pick(Self.fillers)
            var counts = RedactionCounts()
            let cleaned = sanitizer.sanitize(text: text, counts: &counts)
            for fragment in fragments {
                #expect(!cleaned.contains(fragment), "\(fragment) leaked from \(text.debugDescription) as \(cleaned.debugDescription)")
            }
            var attributeCounts = RedactionCounts()
            let attribute = sanitizer.sanitize(["note": .string(text)], counts: &attributeCounts)["note"]?.displayString ?? ""
            for fragment in fragments { #expect(!attribute.contains(fragment)) }
        }
    }

    @Test func randomTextNeverCrashesAndStaysBounded() {
        let sanitizer = PrivacySanitizer()
        var random = Generator(state: 7)
        let alphabet = Array("0123456789abcdefABCDEF.:-_@/\\+() =&?\"'\n🙂é")
        for _ in 0..<3_000 {
            let length = Int(random.next() % 400)
            let text = String((0..<length).map { _ in random.pick(alphabet) })
            var counts = RedactionCounts()
            let cleaned = sanitizer.sanitize(text: text, counts: &counts)
            #expect(cleaned.utf8.count <= 1000)
        }
    }
}
