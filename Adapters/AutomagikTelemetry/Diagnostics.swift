@_spi(Internals) import TelemetryCore

/// SDK self-diagnostics: each kind of problem is reported once, and only when verbose, so a failing
/// endpoint never floods the app's output. Messages pass through a `SecretScrubber` on the way out:
/// they may quote a server's answer, and a server may echo the request's credentials.
final class Diagnostics: Sendable {
    private let seen = LockedBox<Set<String>>([])
    private let sink: (@Sendable (String) -> Void)?
    private let scrubber: SecretScrubber
    /// Kinds are few and fixed in code, but a kind can embed a signal or rule name: bounded anyway.
    private static let maxKinds = 256

    init(sink: (@Sendable (String) -> Void)?, scrubber: SecretScrubber) {
        self.sink = sink
        self.scrubber = scrubber
    }

    func once(_ kind: String, _ message: @autoclosure () -> String) {
        guard let sink else { return }
        let isNew = seen.withLock { seen in
            seen.count < Self.maxKinds && seen.insert(kind).inserted
        }
        if isNew { sink("[automagik-telemetry] \(scrubber.scrub(message()))") }
    }
}
