import Foundation

/// Settings `IntegrationTests/run.sh` passes to the Swift integration tests. Without them (a plain
/// `swift test`), the integration suites are skipped.
enum IntegrationEnvironment {
    static let variables = ProcessInfo.processInfo.environment

    /// `http://127.0.0.1:PORT` of the real OTLP collector (rotel) that run.sh started.
    static var otlpEndpoint: String? { variables["AUTOMAGIK_IT_OTLP_ENDPOINT"] }
    /// The collector's debug output, where it prints every span, metric point and log record received.
    static var collectorLog: String? { variables["AUTOMAGIK_IT_COLLECTOR_LOG"] }
    /// A directory for request bodies that run.sh checks against the official Python definitions.
    static var artifacts: String? { variables["AUTOMAGIK_IT_ARTIFACTS"] }

    static var hasCollector: Bool { otlpEndpoint != nil && collectorLog != nil }

    /// `http://127.0.0.1:PORT` of the real ClickHouse server run.sh started (user `telemetry`).
    static var clickhouseEndpoint: String? { variables["AUTOMAGIK_IT_CLICKHOUSE_ENDPOINT"] }
    /// The server's directory (for stopping and restarting it through IntegrationTests/clickhouse/start.sh).
    static var clickhouseDirectory: String? { variables["AUTOMAGIK_IT_CLICKHOUSE_DIR"] }
    static var clickhousePort: String? { variables["AUTOMAGIK_IT_CLICKHOUSE_PORT"] }
    static var hasClickHouse: Bool { clickhouseEndpoint != nil }
    /// `http://127.0.0.1:PORT` of the modern engine (chdb, ClickHouse 26.x) behind `chdb_http.py`.
    static var modernClickHouseEndpoint: String? { variables["AUTOMAGIK_IT_MODERN_CLICKHOUSE_ENDPOINT"] }
    /// Every ClickHouse run.sh started: Debian's 18.16 server, then the modern engine.
    static var clickhouseEndpoints: [String] { [clickhouseEndpoint, modernClickHouseEndpoint].compactMap { $0 } }
    static let clickhouseUser = "telemetry"
    static let clickhousePassword = "s3cret-pass"
}

/// Reads the collector's debug output.
struct CollectorLog {
    let path: String

    var text: String {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return String(decoding: data.filter { $0 != 0 }, as: UTF8.self)
    }

    /// Waits (real time, bounded) until `marker` appears; returns the text then.
    func waitFor(_ marker: String, timeout: Duration = .seconds(10)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = text
            if current.contains(marker) { return current }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// The block of the dump that starts at the header line before `marker` (e.g. `Span #`) and ends
    /// at the next header of the same kind or at a new resource.
    static func block(in text: String, containing marker: String, header: String) -> String? {
        let lines = text.components(separatedBy: "\n")
        guard let hit = lines.firstIndex(where: { $0.contains(marker) }) else { return nil }
        var start = hit
        while start > 0 && !lines[start].hasPrefix(header) { start -= 1 }
        var end = hit + 1
        while end < lines.count && !lines[end].hasPrefix(header) && !lines[end].hasPrefix("Resource") { end += 1 }
        return lines[start..<end].joined(separator: "\n")
    }
}
