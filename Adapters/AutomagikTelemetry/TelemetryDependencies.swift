#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore
import TelemetryHTTP
import TelemetrySystem

/// The ports the client uses, with production adapters by default. Tests swap in the test kit's
/// `ManualClock`, `SeededRandomSource`, `InMemoryStateStore`, `DictionaryEnvironment` and
/// `RecordingExporter`.
public struct TelemetryDependencies: Sendable {
    /// Time for timestamps, intervals and timeouts (`SystemClock` in production).
    public var clock: any TelemetryClock
    /// Ids, salts and jitter (`SystemRandomSource`, a CSPRNG, in production).
    public var random: any RandomSource
    /// Where environment variables are read (the process's in production).
    public var environment: any EnvironmentReader
    /// Where the anonymous id, salt and consent are kept (`~/.automagik` by default).
    public var stateStore: any TelemetryStateStore
    /// Facts about the machine for the resource (read once). Not public: an app has no reason to fake its
    /// own machine; this package's tests do, for deterministic resources.
    package var host: HostInfo
    /// Overrides the exporter that `backend` would select.
    public var exporter: (any TelemetryExporter)?
    /// Used by the OTLP and ClickHouse exporters.
    public var httpClient: (any HTTPClient)?
    /// Where verbose diagnostics go (standard error by default).
    public var diagnosticsSink: @Sendable (String) -> Void

    /// Production adapters: system clock and CSPRNG, process environment, files under `$HOME`.
    public init(
        clock: any TelemetryClock = SystemClock(),
        random: any RandomSource = SystemRandomSource(),
        environment: any EnvironmentReader = ProcessEnvironment(),
        stateStore: (any TelemetryStateStore)? = nil,
        exporter: (any TelemetryExporter)? = nil,
        httpClient: (any HTTPClient)? = nil,
        diagnosticsSink: @escaping @Sendable (String) -> Void = Self.standardError
    ) {
        self.init(
            clock: clock, random: random, environment: environment, stateStore: stateStore, host: .current(),
            exporter: exporter, httpClient: httpClient, diagnosticsSink: diagnosticsSink
        )
    }

    /// The same with a fixed `host` (this package's tests).
    package init(
        clock: any TelemetryClock = SystemClock(),
        random: any RandomSource = SystemRandomSource(),
        environment: any EnvironmentReader = ProcessEnvironment(),
        stateStore: (any TelemetryStateStore)? = nil,
        host: HostInfo,
        exporter: (any TelemetryExporter)? = nil,
        httpClient: (any HTTPClient)? = nil,
        diagnosticsSink: @escaping @Sendable (String) -> Void = Self.standardError
    ) {
        self.clock = clock
        self.random = random
        self.environment = environment
        self.stateStore = stateStore ?? FileStateStore.forCurrentUser(environment: environment)
        self.host = host
        self.exporter = exporter
        self.httpClient = httpClient
        self.diagnosticsSink = diagnosticsSink
    }

    /// Writes a line to standard error with one `write`, so concurrent lines do not interleave.
    @usableFromInline package static let standardError: @Sendable (String) -> Void = { message in
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
