#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TelemetryCore
import TelemetryPrivacy
import TelemetrySystem

/// The first-run question for command-line apps: asked once, only on an interactive terminal, never in
/// CI, default **No**, and the answer saved as the user's preference (`~/.automagik/telemetry_preference`).
public enum ConsentPrompt {
    /// The outcome of `askOnce`.
    public enum Outcome: Sendable, Hashable {
        /// A preference was already saved (nothing asked).
        case alreadyAnswered(Bool)
        /// The user answered now; the answer was saved.
        case answered(Bool)
        /// Not asked: no interactive terminal, CI, or an opt-out signal already decides.
        case notAsked
    }

    /// Asks whether the user agrees to anonymous telemetry, unless a saved answer exists or asking is
    /// inappropriate. Colour is used unless `NO_COLOR` is set.
    ///
    /// - Parameters:
    ///   - projectName: shown in the question.
    ///   - isInteractive: defaults to "standard input and output are terminals".
    ///   - readAnswer: reads one line (defaults to standard input).
    ///   - write: prints the question (defaults to standard output).
    @discardableResult
    public static func askOnce(
        projectName: String,
        environment: any EnvironmentReader = ProcessEnvironment(),
        store: (any TelemetryStateStore)? = nil,
        isInteractive: Bool = isatty(0) == 1 && isatty(1) == 1,
        readAnswer: () -> String? = { readLine() },
        write: (String) -> Void = { print($0, terminator: "") }
    ) -> Outcome {
        let store = store ?? FileStateStore.forCurrentUser(environment: environment)
        if let saved = store.read(.consent).flatMap(EnvironmentValues.parseBool) { return .alreadyAnswered(saved) }
        let decision = ConsentDecision.decide(codeSetting: nil, runtimeChoice: nil, environment: environment, store: store)
        let decidedByOptOut: Set<ConsentDecision.Reason> = [.doNotTrack, .otelSDKDisabled, .environmentOptOut, .optOutFile]
        guard isInteractive,
            !ConsentDecision.isContinuousIntegration(environment: environment),
            !decidedByOptOut.contains(decision.reason)
        else { return .notAsked }

        let plain = environment.value(for: "NO_COLOR").map { !$0.isEmpty } ?? false
        let bold = plain ? "" : "\u{1B}[1m"
        let reset = plain ? "" : "\u{1B}[0m"
        write(
            """
            \(bold)Help improve \(projectName)?\(reset)
            Send anonymous usage telemetry (features used, errors, performance). No personal data,
            no message content; change your mind any time with AUTOMAGIK_TELEMETRY_ENABLED=false
            or by deleting ~/.automagik/telemetry_preference.
            Enable telemetry? [y/N, p = preview what is sent] 
            """)
        var answer = (readAnswer() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if answer == "p" || answer == "preview" {
            write(preview(projectName: projectName) + "Enable telemetry? [y/N] ")
            answer = (readAnswer() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }
        let consented = answer == "y" || answer == "yes"
        try? store.write(.consent, value: consented ? "true" : "false")
        return .answered(consented)
    }

    /// What the user is shown before deciding: the identity every request carries, and one example event
    /// as the default privacy rules leave it (run for real, with a throwaway salt).
    public static func preview(projectName: String) -> String {
        let example: TelemetryAttributes = [
            "feature": "export_csv", "rows": 1_204, "user_email": "jane@example.com",
            "api_key": "sk_live_51HxExampleKeyDoNotShip", "note": "saved /home/jane/report.csv for jane@example.com",
        ]
        var counts = RedactionCounts()
        let clean = PrivacySanitizer(policy: .default, salt: Array("preview".utf8)).sanitize(example, counts: &counts)
        let shown = clean.sorted { $0.0 < $1.0 }.map { "\($0.0): \($0.1.displayString)" }.joined(separator: ", ")
        return """

            Every request carries: \(projectName) and its version, OS and version, CPU architecture, Swift
            runtime version, an anonymous installation id and a session id (random, not derived from you).
            An example event, exactly as the privacy rules leave it:
              feature.used  {\(shown)}
            (`automagik-telemetry inspect event NAME key=value …` prints the exact request for any item.)

            """
    }
}
