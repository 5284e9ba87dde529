import TelemetryCore

/// SDK self-diagnostics: each kind of problem is reported once, and only when verbose, so a failing
/// endpoint never floods the app's output. Messages never contain credentials or telemetry values.
final class Diagnostics: Sendable {
    private let seen = LockedBox<Set<String>>([])
    private let sink: (@Sendable (String) -> Void)?

    init(sink: (@Sendable (String) -> Void)?) {
        self.sink = sink
    }

    func once(_ kind: String, _ message: @autoclosure () -> String) {
        guard let sink else { return }
        let isNew = seen.withLock { $0.insert(kind).inserted }
        if isNew { sink("[automagik-telemetry] \(message())") }
    }
}
