import Testing
import TelemetryCore
import TelemetryPrivacy

@Suite struct PrivacyPolicyTests {
    /// One attribute each switchable rule fires on under the default policy.
    static let samples: [(PrivacyRule, TelemetryAttributes)] = [
        (.secretKey, ["password": "hunter2"]),
        (.messageContent, ["message": "hello there"]),
        (.secretValue, ["note": "ghp_abcdefghijklmnopqrstuvwxyz0123456789"]),
        (.creditCard, ["note": "paid with 4111 1111 1111 1111"]),
        (.email, ["note": "write to jane@example.com"]),
        (.ipAddress, ["note": "from 203.0.113.7"]),
        (.phoneNumber, ["note": "call +44 20 7946 0958"]),
        (.userIdentifier, ["user_id": "jane"]),
        (.homeDirectory, ["path": "/home/jane/notes.txt"]),
        (.nationalIdentifier, ["note": "filed as 123-45-6789"]),
        (.bankAccount, ["note": "to GB82 WEST 1234 5698 7654 32"]),
        (.macAddress, ["note": "device 00:1A:2B:3C:4D:5E"]),
        (.location, ["note": "at 48.85837, 2.29448"]),
        (.personalDetail, ["first_name": "Jane"]),
    ]

    private func sanitize(_ attributes: TelemetryAttributes, _ policy: PrivacyPolicy) -> (TelemetryAttributes, RedactionCounts) {
        var counts = RedactionCounts()
        return (PrivacySanitizer(policy: policy, salt: Array("salt".utf8)).sanitize(attributes, counts: &counts), counts)
    }

    @Test func theDefaultPolicyAppliesEveryRule() {
        for rule in PrivacyRule.allCases { #expect(PrivacyPolicy.default.applies(rule), "\(rule)") }
        for (rule, sample) in Self.samples {
            let (result, counts) = sanitize(sample, .default)
            #expect(result != sample, "\(rule) changes \(sample)")
            #expect(counts[rule] >= 1, "\(rule) counted for \(sample)")
        }
    }

    @Test func eachRuleIsItsOwnSwitch() {
        for (rule, sample) in Self.samples {
            let without = PrivacyPolicy(disabledRules: [rule])
            #expect(!without.applies(rule))
            #expect(sanitize(sample, without).1[rule] == 0, "\(rule) off: not applied to \(sample)")

            // Every other rule off: this one alone still does its work.
            let alone = PrivacyPolicy(disabledRules: Set(PrivacyRule.allCases).subtracting([rule]))
            let (result, counts) = sanitize(sample, alone)
            #expect(result != sample && counts[rule] >= 1, "\(rule) alone changes \(sample)")
            #expect(counts.total == counts[rule], "only \(rule) fired on \(sample)")
        }
    }

    @Test func switchingARuleOffLaterTakesEffect() {
        var policy = PrivacyPolicy.default
        policy.disabledRules = [.email]
        #expect(!policy.applies(.email) && policy.applies(.phoneNumber))
        #expect(sanitize(["note": "jane@example.com"], policy).0 == ["note": "jane@example.com"])
        policy.disabledRules = []
        #expect(policy.applies(.email))
    }

    @Test func thePermissivePolicyAndTheMasterSwitchApplyNothing() {
        var off = PrivacyPolicy.default
        off.isEnabled = false
        for policy in [PrivacyPolicy.permissive, off] {
            for rule in PrivacyRule.allCases { #expect(!policy.applies(rule)) }
            for (_, sample) in Self.samples { #expect(sanitize(sample, policy).0 == sample) }
        }
    }

    @Test func keyListsAreCaseInsensitiveAndLimitsAtLeastOne() {
        let policy = PrivacyPolicy(
            extraUserIdentifierKeys: ["Member"], extraSensitiveKeys: ["PIN_Code"], allowedKeys: ["Auth"],
            maxAttributeCount: 0, maxArrayLength: -1, maxArrayDepth: 0, maxAttributeValueBytes: 0, maxTextBytes: -5)
        #expect(policy.extraUserIdentifierKeys == ["member"])
        #expect(policy.extraSensitiveKeys == ["pin_code"])
        #expect(policy.allowedKeys == ["auth"])
        #expect(
            [policy.maxAttributeCount, policy.maxArrayLength, policy.maxArrayDepth, policy.maxAttributeValueBytes, policy.maxTextBytes]
                == [1, 1, 1, 1, 1])
    }
}
