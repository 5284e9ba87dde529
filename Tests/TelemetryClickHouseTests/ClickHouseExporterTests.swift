import AutomagikTelemetryTestKit
import Testing
import TelemetryCore
import TelemetryGzip
import TelemetryHTTP
@testable import TelemetryClickHouse

@Suite struct ClickHouseExporterTests {
    private func batch() -> ExportBatch {
        ExportBatch(
            resource: TelemetryResource([("service.name", "t")]),
            payload: .logs([
                LogRecord(time: Timestamp(nanosecondsSinceEpoch: 1), severity: .info, body: String(repeating: "x", count: 2000))
            ]))
    }

    private func exporter(
        _ server: LoopbackHTTPServer, flavor: ClickHouseExporter.FlavorChoice = .legacy,
        authentication: ClickHouseExporter.Authentication = .basic
    ) -> ClickHouseExporter {
        ClickHouseExporter(
            configuration: .init(
                endpoint: server.url, names: .init(database: "db", logs: "my logs"), username: "u", password: "p@ss",
                authentication: authentication, flavor: flavor, compressor: GzipCompressor(), compressionThreshold: 100),
            client: DefaultHTTPClient()
        )
    }

    /// This suite's schema (legacy, database `db`, logs table `my logs`), as the exporters here see it.
    private let schema = ClickHouseSchema(names: .init(database: "db", logs: "my logs"), flavor: .legacy)

    private func insert(_ server: LoopbackHTTPServer) -> LoopbackHTTPServer.Request? {
        server.requests.first { $0.path.contains("INSERT") }
    }

    @Test func insertsRowsWithEscapedNamesGzipAndBasicAuth() async throws {
        let server = try LoopbackHTTPServer(handler: answeringSchemaChecks(schema) { _ in .respond(status: 200) })
        defer { server.stop() }
        guard case .success = await exporter(server).export(batch()) else {
            Issue.record("insert failed")
            return
        }
        let request = try #require(insert(server))
        #expect(request.path.hasPrefix("/?query=INSERT%20INTO%20%60db%60.%60my%20logs%60%20FORMAT%20JSONEachRow"))
        #expect(request.headers["authorization"] == "Basic " + Base64.encode(Array("u:p@ss".utf8)))
        #expect(request.headers["content-encoding"] == "gzip")
        let rows = String(decoding: try GzipDecompressor.decompress(request.body), as: UTF8.self)
        #expect(rows.hasPrefix("{\"Timestamp\":\"1970-01-01 00:00:00\",\"TimestampNs\":1,"))
        #expect(!request.path.contains("p@ss"), "the password never goes in the URL")
    }

    @Test func headerAuthenticationSendsNoBasicHeader() async throws {
        let server = try LoopbackHTTPServer(handler: answeringSchemaChecks(schema) { _ in .respond(status: 200) })
        defer { server.stop() }
        _ = await exporter(server, authentication: .headers).export(batch())
        let request = try #require(insert(server))
        #expect(request.headers["x-clickhouse-user"] == "u")
        #expect(request.headers["x-clickhouse-key"] == "p@ss")
        #expect(request.headers["authorization"] == nil)
    }

    @Test(arguments: [
        (401, "Code: 193, e.displayText() = DB::Exception: Wrong password for user u", true),
        (403, "Code: 516. DB::Exception: u: Authentication failed", true),
        (404, "Code: 60, e.displayText() = DB::Exception: Table db.x doesn't exist.", true),
        (500, "Code: 27, e.displayText() = DB::Exception: Cannot parse input", true),
        (400, "Code: 117. DB::Exception: Unknown field found while parsing JSONEachRow format: Bogus", true),
        (500, "Code: 241, e.displayText() = DB::Exception: Memory limit exceeded", false),
        (503, "Code: 202. DB::Exception: Too many simultaneous queries", false),
        (500, "Code: 252. DB::Exception: Too many parts", false),
        (502, "", false),
    ])
    func failuresAreClassifiedByCode(status: Int, body: String, permanent: Bool) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: status, body: Array(body.utf8)) }
        defer { server.stop() }
        let result = await exporter(server).export(batch())
        switch result {
        case .permanentFailure(let reason):
            #expect(permanent, "\(body) should be retryable")
            #expect(!reason.contains("p@ss"))
        case .retryable:
            #expect(!permanent, "\(body) should be permanent")
        default:
            Issue.record("unexpected \(result)")
        }
    }

    @Test func exceptionCodeHeaderWinsOverStatus() {
        let failure = ClickHouseFailure.classify(HTTPResponse(status: 200, headers: ["X-ClickHouse-Exception-Code": "60"]))
        #expect(failure?.code == 60 && failure?.isPermanent == true)
        #expect(ClickHouseFailure.classify(HTTPResponse(status: 200)) == nil)
    }

    @Test func flavorComesFromTheServerVersion() async throws {
        #expect(ClickHouseExporter.flavor(forVersion: "18.16.1") == .legacy)
        #expect(ClickHouseExporter.flavor(forVersion: "21.3.20.1") == .legacy)
        #expect(ClickHouseExporter.flavor(forVersion: "21.8.1") == .modern)
        #expect(ClickHouseExporter.flavor(forVersion: "24.8.6.70") == .modern)
        let server = try LoopbackHTTPServer { request in
            request.body == Array("SELECT version()".utf8) ? .respond(status: 200, body: Array("24.8.6.70\n".utf8)) : .respond(status: 200)
        }
        defer { server.stop() }
        let automatic = exporter(server, flavor: .automatic)
        #expect(try await automatic.resolveFlavor().get() == .modern)
        _ = await automatic.export(batch())
        _ = await automatic.export(batch())
        #expect(server.requests.filter { $0.body == Array("SELECT version()".utf8) }.count == 1, "detected once")
    }

    @Test func unreachableServerIsRetryable() async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        let url = server.url
        server.stop()
        let gone = ClickHouseExporter(configuration: .init(endpoint: url, flavor: .legacy), client: DefaultHTTPClient())
        guard case .retryable = await gone.export(batch()) else {
            Issue.record("expected retryable")
            return
        }
    }

    @Test func encodingHelpers() {
        #expect(URLQuery.encode("a b/`c`") == "a%20b%2F%60c%60")
        #expect(Base64.encode(Array("default:".utf8)) == "ZGVmYXVsdDo=")
        #expect(Base64.encode(Array("ab".utf8)) == "YWI=")
    }
}
