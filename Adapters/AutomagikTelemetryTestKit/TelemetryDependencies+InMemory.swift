import AutomagikTelemetry
import TelemetryCore

extension TelemetryDependencies {
    /// Dependencies for tests that leave no trace on the machine: a manual clock, seeded randomness,
    /// an environment that is exactly `environment` (the process's is never read), state kept in
    /// memory (never `~/.automagik`), silent diagnostics, and a `RecordingExporter`.
    ///
    /// Pass `exporter: nil` with an `httpClient` (a `RecordingHTTPClient`, which can also wrap a real
    /// client) to run the configured backend's real exporter over that transport.
    public static func inMemory(
        clock: any TelemetryClock = ManualClock(),
        random: any RandomSource = SeededRandomSource(),
        environment: [String: String] = [:],
        stateStore: any TelemetryStateStore = InMemoryStateStore(),
        exporter: (any TelemetryExporter)? = RecordingExporter(),
        httpClient: (any HTTPClient)? = nil,
        diagnosticsSink: @escaping @Sendable (String) -> Void = { _ in }
    ) -> TelemetryDependencies {
        TelemetryDependencies(
            clock: clock, random: random, environment: DictionaryEnvironment(environment), stateStore: stateStore,
            exporter: exporter, httpClient: httpClient, diagnosticsSink: diagnosticsSink
        )
    }
}
