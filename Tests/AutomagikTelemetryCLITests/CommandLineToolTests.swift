import Foundation
import Testing
@_spi(Internals) import TelemetryCore
@testable import AutomagikTelemetryCLI

final class CapturedOutput: CommandOutput {
    private let lines = LockedBox<(out: [String], err: [String])>(([], []))
    func print(_ line: String) { lines.withLock { $0.out.append(line) } }
    func error(_ line: String) { lines.withLock { $0.err.append(line) } }
    var out: String { lines.withLock { $0.out.joined(separator: "\n") } }
    var err: String { lines.withLock { $0.err.joined(separator: "\n") } }
}

@Suite struct CommandLineToolTests {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "automagik-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func demoWritesValidOTLPJSONLines() async throws {
        let path = try temporaryDirectory() + "/demo.jsonl"
        let output = CapturedOutput()
        let status = await CommandLineTool.run(arguments: ["demo", "--output", path, "--events", "60"], environment: [:], output: output)
        #expect(status == 0)
        #expect(output.out.contains("OTLP/JSON requests"))
        #expect(output.out.contains("secret_key"))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var signals: Set<String> = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            signals.formUnion(object.keys)
        }
        #expect(signals == ["resourceSpans", "resourceMetrics", "resourceLogs"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for secret in [
            "sk_live_51HxDemoKeyDoNotShip", "hunter2", "eyJhbGciOiJIUzI1NiJ9", "raw user text", "jane.doe",
            "203.0.113.7", "4111 1111", "555 2671", "2001:db8::42", "u-1842", "/home/jane",
        ] {
            #expect(!text.contains(secret), "\(secret) leaked into the demo output")
        }
    }

    @Test func sendWritesOneItemToAFile() async throws {
        let directory = try temporaryDirectory()
        let path = directory + "/send.jsonl"
        let output = CapturedOutput()
        let status = await CommandLineTool.run(
            arguments: ["send", "metric", "deploys", "3", "--type", "counter", "--exporter", "file:\(path)", "env=prod", "shard:int=7"],
            environment: ["HOME": directory], output: output
        )
        #expect(status == 0, "\(output.err)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"name\":\"deploys\""))
        #expect(text.contains("\"isMonotonic\":true"))
        #expect(text.contains("{\"key\":\"shard\",\"value\":{\"intValue\":\"7\"}}"))
    }

    @Test func sendRespectsOptOut() async throws {
        let directory = try temporaryDirectory()
        let output = CapturedOutput()
        let status = await CommandLineTool.run(
            arguments: ["send", "event", "x", "--exporter", "file:\(directory)/out.jsonl"],
            environment: ["HOME": directory, "DO_NOT_TRACK": "1"], output: output
        )
        #expect(status == 1)
        #expect(output.err.contains("DO_NOT_TRACK"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/out.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/.automagik"))
    }

    @Test(arguments: [
        ["bogus"], ["send"], ["send", "event"], ["send", "metric", "m", "abc"], ["send", "metric", "m", "1", "--type", "x"],
        ["send", "log", "hi", "--severity", "loud"], ["demo", "--events", "0"], ["send", "event", "x", "--nope", "1"],
        ["send", "event", "x", "n:int=abc"], [],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) async {
        let output = CapturedOutput()
        #expect(await CommandLineTool.run(arguments: arguments, environment: [:], output: output) == 2)
        #expect(output.err.contains("usage") || output.err.contains("help"), "points to the usage")
    }

    @Test func statusExplainsTheDecision() async throws {
        let directory = try temporaryDirectory()
        let output = CapturedOutput()
        let status = await CommandLineTool.run(
            arguments: ["status"], environment: ["HOME": directory, "CI": "true"], output: output
        )
        #expect(status == 0)
        #expect(output.out.contains("disabled: running in CI"))
        #expect(output.out.contains("https://telemetry.namastex.ai/v1/traces"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/.automagik"), "status must not create state")
    }

    @Test func typedAttributes() throws {
        #expect(try Arguments.typedAttribute(key: "n", text: "5") == ("n", .int(5)))
        #expect(try Arguments.typedAttribute(key: "n:string", text: "5") == ("n", .string("5")))
        #expect(try Arguments.typedAttribute(key: "r:double", text: "5") == ("r", .double(5)))
        #expect(try Arguments.typedAttribute(key: "b:bool", text: "TRUE") == ("b", .bool(true)))
        #expect(throws: UsageError.self) { try Arguments.typedAttribute(key: "b:bool", text: "yes") }
        #expect(throws: UsageError.self) { try Arguments.typedAttribute(key: ":int", text: "1") }
    }

    @Test func leadingPositionalsMayContainEquals() throws {
        let parsed = try Arguments(["ratio=3 reached", "k=v"], allowedOptions: [], leadingPositionals: 1)
        #expect(parsed.positionals == ["ratio=3 reached"])
        #expect(parsed.attributes == ["k": "v"])
    }
}

@Suite struct CommandLineHelpTests {
    @Test(arguments: CommandLineTool.commandUsages.map(\.command))
    func everyCommandHasHelpThatRunsNothing(command: String) async throws {
        let home = NSTemporaryDirectory() + "automagik-help-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let output = CapturedOutput()
        let status = await CommandLineTool.run(
            arguments: [command, "--help"], environment: ["HOME": home], output: output
        )
        #expect(status == 0)
        #expect(output.out.hasPrefix("usage: automagik-telemetry \(command)"))
        #expect(!output.out.contains("commands:"), "one command's usage, not all of them")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty, "--help runs nothing")
    }

    @Test func usageErrorsAreShortAndNameTheProblem() async {
        let output = CapturedOutput()
        #expect(await CommandLineTool.run(arguments: ["send", "bogus"], environment: [:], output: output) == 2)
        #expect(output.err.contains("unknown kind \"bogus\"") && output.err.contains("send --help"))
        #expect(output.err.split(separator: "\n").count <= 2, "no 40-line usage dump")
    }
}
