import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Testing
import TelemetryCore

@Suite struct ConsentDecisionTests {
    private func decide(
        code: Bool? = nil,
        runtime: ConsentDecision.RuntimeChoice? = nil,
        env: [String: String] = [:],
        store: [StoredItem: String] = [:]
    ) -> ConsentDecision {
        ConsentDecision.decide(
            codeSetting: code, runtimeChoice: runtime, environment: DictionaryEnvironment(env),
            store: InMemoryStateStore(store)
        )
    }

    @Test func offByDefault() {
        #expect(decide() == ConsentDecision(isEnabled: false, reason: .noConsent))
    }

    @Test func everyOptOutBeatsEveryOptIn() {
        let optIns: [(Bool?, ConsentDecision.RuntimeChoice?, [String: String], [StoredItem: String])] = [
            (true, nil, [:], [:]), (nil, .enabled, [:], [:]), (nil, nil, ["AUTOMAGIK_TELEMETRY_ENABLED": "yes"], [:]),
            (nil, nil, [:], [.consent: "true"]),
        ]
        let optOuts: [(Bool?, ConsentDecision.RuntimeChoice?, [String: String], [StoredItem: String], ConsentDecision.Reason)] = [
            (nil, nil, ["DO_NOT_TRACK": "1"], [:], .doNotTrack),
            (nil, nil, ["OTEL_SDK_DISABLED": "true"], [:], .otelSDKDisabled),
            (nil, nil, ["AUTOMAGIK_TELEMETRY_ENABLED": "off"], [:], .environmentOptOut),
            (nil, nil, [:], [.optOutMarker: ""], .optOutFile),
            (nil, .disabled, [:], [:], .disabledAtRuntime),
            (false, nil, [:], [:], .disabledInCode),
            (nil, nil, [:], [.consent: "false"], .savedOptOut),
        ]
        for optIn in optIns {
            for optOut in optOuts {
                let decision = decide(
                    code: optOut.0 ?? optIn.0,
                    runtime: optOut.1 ?? optIn.1,
                    env: optIn.2.merging(optOut.2) { $1 },
                    store: optIn.3.merging(optOut.3) { $1 }
                )
                #expect(!decision.isEnabled, "\(optOut.4) must beat \(optIn)")
            }
        }
    }

    @Test(arguments: [
        (["AUTOMAGIK_TELEMETRY_ENABLED": "true"], ConsentDecision.Reason.environmentOptIn),
        (["AUTOMAGIK_TELEMETRY_ENABLED": "1"], .environmentOptIn),
        (["AUTOMAGIK_TELEMETRY_ENABLED": "on"], .environmentOptIn),
    ])
    func environmentOptIn(env: [String: String], reason: ConsentDecision.Reason) {
        #expect(decide(env: env) == ConsentDecision(isEnabled: true, reason: reason))
    }

    @Test func codeAndRuntimeOptIn() {
        #expect(decide(code: true).reason == .enabledInCode)
        #expect(decide(runtime: .enabled).reason == .enabledAtRuntime)
        #expect(decide(store: [.consent: "true"]).reason == .savedOptIn)
    }

    @Test(arguments: ["CI", "GITHUB_ACTIONS", "TRAVIS", "JENKINS", "GITLAB_CI", "CIRCLECI"])
    func ciStaysOffWithoutExplicitOptIn(variable: String) {
        #expect(decide(env: [variable: "true"], store: [.consent: "true"]).reason == .continuousIntegration)
        #expect(decide(code: true, env: [variable: "true"]).isEnabled)
        #expect(decide(env: [variable: "true", "AUTOMAGIK_TELEMETRY_ENABLED": "true"]).isEnabled)
        #expect(decide(env: [variable: "false"], store: [.consent: "true"]).isEnabled)
    }

    @Test(arguments: ["development", "dev", "test", "testing", "Development"])
    func developmentStaysOffWithoutExplicitOptIn(stage: String) {
        #expect(decide(env: ["ENVIRONMENT": stage], store: [.consent: "true"]).reason == .developmentEnvironment)
        #expect(decide(code: true, env: ["ENVIRONMENT": stage]).isEnabled)
        #expect(decide(env: ["ENVIRONMENT": "production"], store: [.consent: "true"]).isEnabled)
    }

    @Test func doNotTrackZeroIsNotAnOptOut() {
        #expect(decide(code: true, env: ["DO_NOT_TRACK": "0"]).isEnabled)
    }

    @Test func decidingNeverWrites() {
        let store = InMemoryStateStore()
        _ = ConsentDecision.decide(codeSetting: true, runtimeChoice: nil, environment: DictionaryEnvironment(), store: store)
        #expect(store.writes.isEmpty)
    }
}
