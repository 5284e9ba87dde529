import Testing
import TelemetryCore
@testable import TelemetryPrivacy

/// Credentials recognised by their shape: every vendor format vanishes wherever it sits in a text, and
/// what merely looks like one stays.
@Suite struct VendorKeysTests {
    private func text(_ input: String) -> String {
        var counts = RedactionCounts()
        return PrivacySanitizer().sanitize(text: input, counts: &counts)
    }

    @Test(arguments: [
        "sk_live_51HxAbCdEfGh12345678", "pk_test_TYooMQauvdEDq54NiTphI7jx", "rk_live_abcdefgh12345678",
        "AKIAIOSFODNN7EXAMPLE", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github_pat_11ABCDEFG0123456789_abcdefghijklmn",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp", "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "AIzaSyA1234567890abcdefghijklmnopqrstuv", "glpat-abcdefghijklmnopqrstu",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "MTA4NjA5NzQ1MjM0NTY3ODkw.GxYzAb.abcdefghijklmnopqrstuvwxyz0123456789AB",
        "0123456789abcdef0123456789abcdef-us12", "glptt-0123456789abcdef0123", "NRAK-ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        "lin_api_abcdefghijklmnopqrstuvwxyz0123456789ABCD", "hvs.CAESIabcdefghijklmnopqrstuvwxyz0123456789",
        "pat-na1-12345678-1234-1234-1234-123456789012", "dp.st.dev.abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    ])
    func vendorKeysAndTokensVanish(secret: String) {
        for wrapped in [secret, "key \(secret) here", "(\(secret))", "\"\(secret)\"", "x=1 \(secret)\n", "ünï \(secret) 🙂"] {
            let cleaned = text(wrapped)
            #expect(!cleaned.contains(secret), "\(secret) survived in \(cleaned)")
            #expect(cleaned.contains("<redacted:secret>"))
        }
    }

    /// The shapes without a vendor prefix (AWS secret keys, Telegram, Discord, Mailchimp) must not take
    /// what else has their length or punctuation.
    @Test(arguments: [
        "9fceb02d0ae598e95dc970b74767f19372d61af8", "9FCEB02D0AE598E95DC970B74767F19372D61AF8",
        "ThisIsAVeryLongIdentifierNameForTesting1", "/usr/local/lib/python3.11/site-packages/x",
        "dGhpcyBpcyBhIHRlc3Qgb2YgYmFzZTY0IGVuYw==", "src/Modules/Privacy/Text/Scanner/Utils/X1",
        "Module.Submodule.function", "secret_sauce_enabled", "release-us1", "1234567:ABC", "MyApp.Main.Window",
    ])
    func lookAlikesOfUnprefixedKeysStay(input: String) {
        #expect(text(input) == input)
    }

    @Test func eachPrefixIsFoundByItsFirstByte() {
        // The first-byte table must not lose a prefix: one key per first letter of the table.
        for key in ["sk_live_abcdefgh", "ghp_abcdefghijklmnopqrstuvwxyz", "AKIAIOSFODNN7EXAMPLE", "1//0abcdefghijklmnopqrstu"] {
            #expect(text(key) == "<redacted:secret>", "\(key)")
        }
    }
}
