/// Port: where the SDK gets wall-clock time and how it waits.
///
/// The pure modules never read a clock; everything that needs "now" or a delay receives one of
/// these. Production uses `SystemClock` (TelemetrySystem); tests use `ManualClock` (test kit), whose
/// `sleep` returns only when the test advances time — so batching, flush intervals, backoff and
/// circuit-breaker cool-downs are tested without real sleeps.
public protocol TelemetryClock: Sendable {
    /// The current wall-clock time. Must be cheap: it is called on the caller's thread per tracked item.
    func now() -> Timestamp

    /// Suspends for `duration` of this clock's time. Throws `CancellationError` if the task is cancelled.
    func sleep(for duration: Duration) async throws
}
