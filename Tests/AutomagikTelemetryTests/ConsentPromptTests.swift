import AutomagikTelemetry
import AutomagikTelemetryTestKit
import FoundationEssentials
@_spi(Internals) import TelemetryCore
import Testing

@Suite struct ConsentPromptTests {
    private func ask(
        env: [String: String] = [:], store: InMemoryStateStore = InMemoryStateStore(), interactive: Bool = true,
        answer: String? = "y"
    ) -> (ConsentPrompt.Outcome, String) {
        let printed = LockedBox("")
        let outcome = ConsentPrompt.askOnce(
            projectName: "tool", environment: DictionaryEnvironment(env), store: store, isInteractive: interactive,
            readAnswer: { answer }, write: { text in printed.withLock { $0 += text } }
        )
        return (outcome, printed.withLock { $0 })
    }

    @Test func yesIsSaved() {
        let store = InMemoryStateStore()
        let (outcome, printed) = ask(store: store, answer: " Yes ")
        #expect(outcome == .answered(true))
        #expect(store.values[.consent] == "true")
        #expect(printed.contains("[y/N"))
        #expect(printed.contains("\u{1B}["))
    }

    @Test(arguments: ["", "n", "no", "maybe", "yeah"])
    func anythingElseIsNo(answer: String) {
        let store = InMemoryStateStore()
        #expect(ask(store: store, answer: answer).0 == .answered(false))
        #expect(store.values[.consent] == "false")
    }

    @Test func thePreviewShowsWhatIsSentThenAsksAgain() {
        let store = InMemoryStateStore()
        let answers = LockedBox(["p", "y"])
        let printed = LockedBox("")
        let outcome = ConsentPrompt.askOnce(
            projectName: "tool", environment: DictionaryEnvironment(), store: store, isInteractive: true,
            readAnswer: { answers.withLock { $0.isEmpty ? nil : $0.removeFirst() } }, write: { text in printed.withLock { $0 += text } }
        )
        let text = printed.withLock { $0 }
        #expect(outcome == .answered(true))
        #expect(text.contains("feature.used") && text.contains("<redacted:email>") && text.contains("feature: export_csv"))
        for personal in ["jane@example.com", "sk_live_51HxExampleKeyDoNotShip", "/home/jane"] {
            #expect(!text.contains(personal), "the preview itself shows \(personal)")
        }
        #expect(text.components(separatedBy: "Enable telemetry?").count == 3, "asked again after the preview")
    }

    @Test func endOfInputIsNo() {
        #expect(ask(answer: nil).0 == .answered(false))
    }

    @Test func askedOnlyOnce() {
        let store = InMemoryStateStore([.consent: "false"])
        let (outcome, printed) = ask(store: store)
        #expect(outcome == .alreadyAnswered(false))
        #expect(printed.isEmpty)
        #expect(store.writes.isEmpty)
    }

    @Test func neverInCIOrWithoutATerminalOrAfterAnOptOut() {
        for (env, interactive) in [(["CI": "true"], true), ([:], false), (["DO_NOT_TRACK": "1"], true)] {
            let store = InMemoryStateStore()
            let (outcome, printed) = ask(env: env, store: store, interactive: interactive)
            #expect(outcome == .notAsked)
            #expect(printed.isEmpty)
            #expect(store.writes.isEmpty)
        }
    }

    @Test func noColorIsHonoured() {
        #expect(!ask(env: ["NO_COLOR": "1"]).1.contains("\u{1B}["))
    }
}
