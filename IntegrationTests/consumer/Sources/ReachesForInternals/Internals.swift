// Each line names something this SDK keeps to itself; `consumer_check.sh` expects every one to be
// refused ("cannot find … in scope"). A line that compiles means an internal leaked into the API.
import AutomagikTelemetry

func reachesForInternals() {
    _ = LockedBox(0)
    _ = AtomicInteger(0)
    _ = JSONWriter()
    _ = BatchPolicy(maxItems: 1, maxAge: .seconds(1))
    _ = CircuitBreaker.self
    _ = RetrySchedule.self
    _ = DeliveryEngine.self
    _ = IntakeQueue.self
    _ = ResolvedConfiguration.self
    _ = SpoolEntry.self
    _ = DirectorySpool.self
    _ = HostInfo.self
    _ = SHA256.self
    _ = ClickHouseRowEncoder.self
    _ = LoopbackHTTPServer.self
}
