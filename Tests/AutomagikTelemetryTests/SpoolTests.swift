import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryClickHouse
import TelemetryCore
import TelemetryGzip
import TelemetryOTLP
import TelemetryPipeline
import TelemetrySystem
import Testing

/// The offline spool through the client: batches that cannot be delivered wait on disk, survive the
/// client (a new run picks them up) and are delivered once, oldest first.
@Suite struct SpoolTests {
    private func client(spool: String, http: RecordingHTTPClient, clock: ManualClock, maxRetries: Int = 0) throws -> AutomagikTelemetry {
        var configuration = TelemetryConfiguration.test("spool")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://c.example.com", encoding: .json))
        configuration.spool.directory = spool
        configuration.exporter.maxRetries = maxRetries
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: clock, random: SeededRandomSource(), environment: DictionaryEnvironment(),
                stateStore: InMemoryStateStore(), host: Harness.host, httpClient: http)
        )
    }

    @Test func undeliveredBatchesWaitOnDiskAndANewRunDeliversThem() async throws {
        let directory = NSTemporaryDirectory() + "automagik-client-spool-\(UUID().uuidString)"
        let down = RecordingHTTPClient()
        down.script(Array(repeating: .failure(.connectionFailed("refused")), count: 10))
        let first = try client(spool: directory, http: down, clock: ManualClock())
        for index in 0..<5 { first.trackEvent("offline-\(index)") }
        let report = await first.shutdown(deadline: .seconds(5))
        #expect(report.spooled == 5)
        #expect(report.stats.totalDropped == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".spool") }.count == 1)

        let up = RecordingHTTPClient()
        let second = try client(spool: directory, http: up, clock: ManualClock())
        let flushed = await second.flush()
        #expect(flushed.exported == 5)
        let bodies = try up.requests.map { request in
            let body = request.header("Content-Encoding") == "gzip" ? try GzipDecompressor.decompress(request.body) : request.body
            return String(decoding: body, as: UTF8.self)
        }.joined()
        #expect((0..<5).allSatisfy { bodies.contains("\"offline-\($0)\"") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".spool") }.isEmpty)
        await second.shutdown()
    }

    @Test func anUnsafeSpoolDirectoryIsRefusedAndTheClientRunsFromMemory() async throws {
        let target = NSTemporaryDirectory() + "automagik-spool-target-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        let directory = NSTemporaryDirectory() + "automagik-spool-link-\(UUID().uuidString)"
        #expect(symlink(target, directory) == 0)
        let http = RecordingHTTPClient()
        let telemetry = try client(spool: directory, http: http, clock: ManualClock())
        #expect(telemetry.status.spoolProblem?.contains("symbolic link") == true)
        #expect(telemetry.status.description.contains("not used"))
        telemetry.trackEvent("kept in memory")
        let report = await telemetry.shutdown(deadline: .seconds(5))
        #expect(report.exported == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test func deliveredBatchesLeaveNothingOnDisk() async throws {
        let directory = NSTemporaryDirectory() + "automagik-client-spool-\(UUID().uuidString)"
        let http = RecordingHTTPClient()
        let telemetry = try client(spool: directory, http: http, clock: ManualClock())
        telemetry.trackEvent("online")
        let report = await telemetry.shutdown(deadline: .seconds(5))
        #expect(report.exported == 1 && report.spooled == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func clickHouseBatchesAreSpooledAndReplayedToo() async throws {
        let directory = NSTemporaryDirectory() + "automagik-clickhouse-spool-\(UUID().uuidString)"
        func client(_ http: RecordingHTTPClient) throws -> AutomagikTelemetry {
            var configuration = TelemetryConfiguration.test("spool")
            configuration.backend = .clickhouse(ClickHouseSettings(endpoint: "http://127.0.0.1:8123", flavor: .legacy))
            configuration.spool.directory = directory
            configuration.exporter.maxRetries = 0
            return try AutomagikTelemetry(
                configuration: configuration,
                dependencies: TelemetryDependencies(
                    clock: ManualClock(), environment: DictionaryEnvironment(),
                    stateStore: InMemoryStateStore(), host: Harness.host, httpClient: http)
            )
        }
        let down = RecordingHTTPClient()
        down.script(Array(repeating: .failure(.connectionFailed("refused")), count: 10))
        let first = try client(down)
        first.trackLog("kept on disk")
        #expect(await first.shutdown(deadline: .seconds(5)).spooled == 1)

        // The server answers the exporter's schema check with this SDK's current tables, then takes the rows.
        let up = RecordingHTTPClient()
        let schema = ClickHouseSchema(flavor: .legacy)
        let columns = ClickHouseSchema.Table.allCases.flatMap { table in
            schema.reportedColumnNames(of: table).map { "\(schema.name(of: table))\t\($0)\n" }
        }.joined()
        up.script([
            .success(HTTPResponse(status: 200, body: Array(columns.utf8))),
            .success(HTTPResponse(status: 200, body: Array("traces\t1\nmetrics\t1\nlogs\t1\n".utf8))),
        ])
        let second = try client(up)
        #expect(await second.flush().exported == 1)
        let request = try #require(up.requests.first { $0.url.contains("INSERT") })
        #expect(request.url.contains("INSERT%20INTO%20%60telemetry%60.%60logs%60"))
        let body = request.header("Content-Encoding") == "gzip" ? try GzipDecompressor.decompress(request.body) : request.body
        #expect(String(decoding: body, as: UTF8.self).contains("\"Body\":\"kept on disk\""))
        await second.shutdown()
    }

    // MARK: The default spool (issue #23: programs that come and go)

    /// A client at default settings whose state lives in files (as every real program's does).
    private func defaultClient(
        home: String, http: RecordingHTTPClient, _ change: (inout TelemetryConfiguration) -> Void = { _ in }
    )
        throws -> AutomagikTelemetry
    {
        var configuration = TelemetryConfiguration.test("cli-tool")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://c.example.com", encoding: .json))
        change(&configuration)
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: ManualClock(), random: SeededRandomSource(), environment: DictionaryEnvironment(),
                stateStore: FileStateStore(homeDirectory: home), host: Harness.host, httpClient: http)
        )
    }

    private func spoolFiles(_ home: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home + "/.automagik/spool/cli-tool")) ?? []).filter { $0.contains(".spool") }
    }

    @Test func byDefaultWhatALeavingProgramCouldNotDeliverWaitsForTheNextRun() async throws {
        let home = NSTemporaryDirectory() + "automagik-default-spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let down = RecordingHTTPClient()
        down.script(Array(repeating: .failure(.connectionFailed("refused")), count: 10))
        let first = try defaultClient(home: home, http: down)
        #expect(first.status.description.contains("spool: \(home)/.automagik/spool/cli-tool (at_exit)"))
        for index in 0..<20 { first.trackEvent("run-1-\(index)") }
        let report = await first.shutdown()  // default arguments: the exit budget, the rest kept
        #expect(report.spooled == 20)
        #expect(report.stats.totalDropped == 0)
        #expect(spoolFiles(home).count == 1)

        let up = RecordingHTTPClient()
        let second = try defaultClient(home: home, http: up)
        second.trackEvent("run-2")
        #expect(await second.shutdown().exported == 21, "the backlog goes out within the next run's exit budget")
        #expect(spoolFiles(home).isEmpty)
    }

    @Test func atExitPersistenceWritesNothingWhileTheEndpointAnswers() async throws {
        let home = NSTemporaryDirectory() + "automagik-default-spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let up = RecordingHTTPClient()
        let telemetry = try defaultClient(home: home, http: up)
        for index in 0..<50 { telemetry.trackEvent("e-\(index)") }
        #expect(await telemetry.flush().exported == 50)
        #expect(spoolFiles(home).isEmpty)
        #expect(await telemetry.shutdown().exported == 0)
        #expect(spoolFiles(home).isEmpty)
    }

    @Test func persistenceOffKeepsNothingAndCountsTheLoss() async throws {
        let home = NSTemporaryDirectory() + "automagik-default-spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let down = RecordingHTTPClient()
        down.script(Array(repeating: .failure(.connectionFailed("refused")), count: 10))
        let telemetry = try defaultClient(home: home, http: down) { $0.spool.persistence = .off }
        telemetry.trackEvent("e")
        // Without a spool the default wait is 5 s (what is left is lost): on the manual clock, none at all.
        let report = await telemetry.shutdown(deadline: .zero)
        #expect(report.spooled == 0)
        #expect(report.stats.dropped[.shutdown] == 1)
        #expect(!FileManager.default.fileExists(atPath: home + "/.automagik/spool"))
        #expect(!telemetry.status.description.contains("spool:"))
    }

    /// What was accepted but not yet converted when the deadline passed is converted and kept too: a
    /// program leaving right after a burst loses none of it.
    @Test func aBurstRightBeforeLeavingIsKeptWhole() async throws {
        let home = NSTemporaryDirectory() + "automagik-default-spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let down = RecordingHTTPClient()
        down.script(Array(repeating: .failure(.connectionFailed("refused")), count: 100))
        let telemetry = try defaultClient(home: home, http: down)
        for index in 0..<5_000 { telemetry.trackEvent("burst", attributes: ["i": .int(Int64(index))]) }
        let report = await telemetry.shutdown(deadline: .zero)
        #expect(report.stats.totalDropped == 0)
        #expect(report.spooled + report.exported == 5_000)
    }

    @Test func commandLineToolsAndServersGetTheExitHookByDefault() throws {
        let home = NSTemporaryDirectory() + "automagik-default-spool-\(UUID().uuidString)"
        let telemetry = try defaultClient(home: home, http: RecordingHTTPClient())
        #expect(telemetry.status.setting("flushOnExit")?.value == "true")
        #expect(telemetry.status.setting("flushOnExit")?.source == .standard)
    }
}
