import TelemetryCore

/// Whether telemetry is on, and the signal that decided it.
///
/// Order of evaluation — the first match wins, and every opt-out comes before every opt-in:
/// 1. `DO_NOT_TRACK` set to `1`/`true` → off
/// 2. `OTEL_SDK_DISABLED=true` → off
/// 3. `AUTOMAGIK_TELEMETRY_ENABLED` false/0/no/off → off
/// 4. the opt-out file `~/.automagik-no-telemetry` exists → off
/// 5. `disable()` called at run time → off
/// 6. `enabled: false` in code → off
/// 7. saved preference `false` → off
/// 8. `enabled: true` in code, `enable()` at run time, or `AUTOMAGIK_TELEMETRY_ENABLED` true → on
/// 9. in CI (`CI`, `GITHUB_ACTIONS`, `TRAVIS`, `JENKINS_URL`/`JENKINS`, `GITLAB_CI`, `CIRCLECI`, …) or a
///    development environment (`ENVIRONMENT` = development, dev, test, testing) → off
/// 10. saved preference `true` → on
/// 11. otherwise → off: telemetry is opt-in.
public struct ConsentDecision: Sendable, Hashable, CustomStringConvertible {
    /// The deciding signal.
    public enum Reason: String, Sendable, Hashable {
        case doNotTrack = "DO_NOT_TRACK is set"
        case otelSDKDisabled = "OTEL_SDK_DISABLED=true"
        case environmentOptOut = "AUTOMAGIK_TELEMETRY_ENABLED is false"
        case optOutFile = "opt-out file ~/.automagik-no-telemetry exists"
        case disabledAtRuntime = "disable() was called"
        case disabledInCode = "enabled: false in code"
        case savedOptOut = "saved preference is false"
        case enabledInCode = "enabled: true in code"
        case enabledAtRuntime = "enable() was called"
        case environmentOptIn = "AUTOMAGIK_TELEMETRY_ENABLED is true"
        case continuousIntegration = "running in CI without an explicit opt-in"
        case developmentEnvironment = "development environment without an explicit opt-in"
        case savedOptIn = "saved preference is true"
        case noConsent = "no opt-in given (telemetry is opt-in)"
    }

    /// Whether telemetry is on.
    public let isEnabled: Bool
    /// The rule that decided (see the precedence above).
    public let reason: Reason

    /// Creates a decision; normally made by `decide`.
    public init(isEnabled: Bool, reason: Reason) {
        self.isEnabled = isEnabled
        self.reason = reason
    }

    /// `enabled: REASON` or `disabled: REASON`.
    public var description: String { "\(isEnabled ? "enabled" : "disabled"): \(reason.rawValue)" }

    /// A run-time choice made through `enable()` / `disable()`.
    public enum RuntimeChoice: Sendable, Hashable {
        case enabled
        case disabled
    }

    /// CI markers (parity with the original SDKs, plus common ones).
    static let ciVariables = [
        "CI", "GITHUB_ACTIONS", "TRAVIS", "JENKINS", "JENKINS_URL", "GITLAB_CI", "CIRCLECI", "BUILDKITE", "TF_BUILD",
    ]
    static let developmentEnvironments: Set<String> = ["development", "dev", "test", "testing"]

    /// Decides from every signal. Reads the store (never writes it).
    public static func decide(
        codeSetting: Bool?,
        runtimeChoice: RuntimeChoice?,
        environment: some EnvironmentReader,
        store: some TelemetryStateStore
    ) -> ConsentDecision {
        let env = EnvironmentValues(reader: environment)
        func off(_ reason: Reason) -> ConsentDecision { ConsentDecision(isEnabled: false, reason: reason) }
        func on(_ reason: Reason) -> ConsentDecision { ConsentDecision(isEnabled: true, reason: reason) }

        if let doNotTrack = env.string("DO_NOT_TRACK"), EnvironmentValues.parseBool(doNotTrack) != false {
            return off(.doNotTrack)
        }
        if env.string("OTEL_SDK_DISABLED")?.lowercased() == "true" { return off(.otelSDKDisabled) }
        let environmentSetting = env.string("AUTOMAGIK_TELEMETRY_ENABLED").flatMap(EnvironmentValues.parseBool)
        if environmentSetting == false { return off(.environmentOptOut) }
        if store.read(.optOutMarker) != nil { return off(.optOutFile) }
        if runtimeChoice == .disabled { return off(.disabledAtRuntime) }
        if codeSetting == false { return off(.disabledInCode) }
        let saved = store.read(.consent).flatMap(EnvironmentValues.parseBool)
        if saved == false { return off(.savedOptOut) }
        if codeSetting == true { return on(.enabledInCode) }
        if runtimeChoice == .enabled { return on(.enabledAtRuntime) }
        if environmentSetting == true { return on(.environmentOptIn) }
        if isContinuousIntegration(env) { return off(.continuousIntegration) }
        if let stage = env.string("ENVIRONMENT")?.lowercased(), developmentEnvironments.contains(stage) {
            return off(.developmentEnvironment)
        }
        if saved == true { return on(.savedOptIn) }
        return off(.noConsent)
    }

    static func isContinuousIntegration(_ env: EnvironmentValues) -> Bool {
        ciVariables.contains { name in
            guard let value = env.string(name) else { return false }
            return EnvironmentValues.parseBool(value) != false
        }
    }

    /// Whether the process appears to run in CI.
    public static func isContinuousIntegration(environment: some EnvironmentReader) -> Bool {
        isContinuousIntegration(EnvironmentValues(reader: environment))
    }
}
