import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore
import TelemetryLocalExporters

@Suite struct OTLPJSONFileExporterTests {
    private func batch(_ name: String) -> ExportBatch {
        let span = SpanRecord(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), name: name, startTime: .epoch, endTime: .epoch)
        return ExportBatch(resource: TelemetryResource([("service.name", "t")]), payload: .spans([span]))
    }

    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "automagik-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func appendsOneRequestPerLineWithPrivatePermissions() async throws {
        let path = try directory() + "/out.jsonl"
        let exporter = OTLPJSONFileExporter(path: path)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(await exporter.export(batch("one")) == .success())
        #expect(await exporter.export(batch("two")) == .success())
        await exporter.shutdown()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["resourceSpans"] != nil)
        }
        #expect(lines[1].contains("\"name\":\"two\""))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func rotatesWhenTheFileIsFull() async throws {
        let path = try directory() + "/out.jsonl"
        let exporter = OTLPJSONFileExporter(path: path, maxFileBytes: 1024)
        for index in 0..<10 { _ = await exporter.export(batch("span-\(index)")) }
        await exporter.shutdown()
        let current = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
        #expect((current?.intValue ?? .max) <= 1024)
        #expect(FileManager.default.fileExists(atPath: path + ".1"))
    }

    @Test func aSymlinkAtThePathIsNeverFollowed() async throws {
        let folder = try directory()
        let victim = folder + "/victim"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        #expect(symlink(victim, folder + "/out.jsonl") == 0)
        let exporter = OTLPJSONFileExporter(path: folder + "/out.jsonl")
        guard case .permanentFailure(let reason) = await exporter.export(batch("x")) else {
            Issue.record("expected a permanent failure")
            return
        }
        #expect(reason.contains("symbolic link"))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    @Test func aFIFOOrAHardLinkAtThePathIsRefusedWithoutBlocking() async throws {
        let folder = try directory()
        #expect(mkfifo(folder + "/fifo.jsonl", 0o600) == 0)
        guard case .permanentFailure = await OTLPJSONFileExporter(path: folder + "/fifo.jsonl").export(batch("x")) else {
            Issue.record("expected a permanent failure")
            return
        }
        try Data("other\n".utf8).write(to: URL(fileURLWithPath: folder + "/other"))
        #expect(link(folder + "/other", folder + "/linked.jsonl") == 0)
        guard case .permanentFailure(let reason) = await OTLPJSONFileExporter(path: folder + "/linked.jsonl").export(batch("x")) else {
            Issue.record("expected a permanent failure")
            return
        }
        #expect(reason.contains("hard links"))
    }

    @Test func anExistingFileOpenToOthersIsMadePrivate() async throws {
        let path = try directory() + "/out.jsonl"
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o666]))
        chmod(path, 0o666)
        #expect(await OTLPJSONFileExporter(path: path).export(batch("x")) == .success())
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func unwritablePathIsAPermanentFailure() async {
        let exporter = OTLPJSONFileExporter(path: "/proc/nope/out.jsonl")
        guard case .permanentFailure = await exporter.export(batch("x")) else {
            Issue.record("expected a permanent failure")
            return
        }
    }
}

@Suite struct ConsoleExporterTests {
    @Test func printsReadableLines() {
        let error = SpanRecord(
            traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), name: "automagik.error",
            startTime: .epoch, endTime: .epoch, attributes: ["op": "import"], status: .error("boom"))
        #expect(ConsoleExporter.lines(for: .spans([error])) == ["error  automagik.error  boom  {op=import}"])
        let log = LogRecord(time: .epoch, severity: .warn, body: "disk", attributes: [:])
        #expect(ConsoleExporter.lines(for: .logs([log])) == ["log    WARN   disk"])
        let gauge = MetricRecord(
            name: "depth", unit: "{item}",
            data: .gauge([
                NumberDataPoint(attributes: ["q": "a"], startTime: .epoch, time: .epoch, value: .double(3))
            ]))
        #expect(ConsoleExporter.lines(for: .metrics([gauge])) == ["metric depth gauge 3.0 {item}  {q=a}"])
    }
}
