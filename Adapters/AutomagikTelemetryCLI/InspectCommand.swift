import AutomagikTelemetry
@_spi(Internals) import TelemetryCore
import TelemetryLocalExporters
import TelemetryPipeline

/// `inspect event|metric|log|error …`: the exact sanitised OTLP/JSON that `send` would transmit, with a
/// one-line summary of what the privacy rules changed (rules and counts, never values). Sends nothing,
/// writes no file: the pipeline runs with an exporter that captures the requests and an in-memory state
/// store (so pseudonyms use a throwaway salt, not the installation's).
enum InspectCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) async throws -> Int32 {
        let item = try TrackedItem.parse(arguments, command: "inspect")
        var configuration = TelemetryConfiguration(
            projectName: item.options["project"] ?? "automagik-telemetry-cli", version: item.options["version"] ?? SDKInfo.version
        )
        configuration.enabled = true
        configuration.logsEnabled = true
        let captured = LockedBox<[String]>([])
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                environment: DictionaryEnvironment(environment), stateStore: EphemeralStateStore(),
                exporter: OTLPJSONStreamExporter { line in captured.withLock { $0.append(line) } }
            )
        )
        guard telemetry.isEnabled else {
            output.error("nothing to show: telemetry \(telemetry.decision) (opt-out signals win even here)")
            return 1
        }
        item.track(telemetry)
        let report = await telemetry.shutdown(deadline: .seconds(5))
        // The exact bytes, one request per line (pipe through `jq` or `python3 -m json.tool` to read).
        for line in captured.withLock({ $0 }) { output.print(line) }
        let rules = report.stats.redactions.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        output.error(
            "privacy: " + (rules.isEmpty ? "nothing changed" : rules.joined(separator: ", ") + " (values not shown)")
                + "; nothing was sent")
        let dropped = report.stats.dropped.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
        if !dropped.isEmpty { output.error("dropped: \(dropped.joined(separator: ", "))") }
        return 0
    }
}

/// State kept only for the run: `inspect` must not create the anonymous id or salt files.
final class EphemeralStateStore: TelemetryStateStore, Sendable {
    private let values = LockedBox<[StoredItem: String]>([:])
    func read(_ item: StoredItem) -> String? { values.withLock { $0[item] } }
    func write(_ item: StoredItem, value: String) throws { values.withLock { $0[item] = value } }
    func remove(_ item: StoredItem) throws { values.withLock { _ = $0.removeValue(forKey: item) } }
}
