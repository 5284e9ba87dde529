import AutomagikTelemetry
import Foundation
import TelemetryCore
import TelemetrySystem

/// `automagik-telemetry`: run the demo, show the resolved configuration, send one item from a shell.
enum CommandLineTool {
    /// Each command's usage, printed by `COMMAND --help` and, all together, by `help`.
    static let commandUsages: [(command: String, text: String)] = [
        (
            "demo",
            """
            demo [--output PATH] [--events N]
                Run a sample workload (events, errors, every metric type, logs, with personal data in
                attributes) through the real pipeline into an OTLP/JSON-lines file; print a summary.
            """
        ),
        (
            "status",
            """
            status [--project NAME] [--version VERSION]
                Print whether telemetry is enabled and why, then every setting with its value and
                where it came from (code, the environment variable, or default), then any
                environment value that was ignored and why.
            """
        ),
        (
            "settings",
            """
            settings
                Print every setting as a Markdown table: code property, environment variables (first
                valid wins), default, meaning. The README's configuration table is this output.
            """
        ),
        (
            "send",
            """
            send event NAME [key=value ...]
            send metric NAME VALUE [--type gauge|counter|up_down_counter|histogram] [--unit UNIT] [key=value ...]
            send log MESSAGE [--severity trace|debug|info|warn|error|fatal] [key=value ...]
            send error TYPE MESSAGE [key=value ...]
                Send one item and wait for the receiver's answer. Common options:
                  --exporter otlp|clickhouse|console|file:PATH   (default: the configured backend)
                  --endpoint URL  --project NAME  --version VERSION
                Attribute types are inferred (true/false, integers, decimals, else text) or forced:
                key:int=5  key:double=5  key:bool=true  key:string=5.
                Sending is an explicit opt-in for that one call; opt-out signals (DO_NOT_TRACK, the
                opt-out file, AUTOMAGIK_TELEMETRY_ENABLED=false) still win.
            """
        ),
        (
            "inspect",
            """
            inspect event|metric|log|error … (same arguments as send)
                Print the exact sanitised OTLP/JSON that send would transmit, and which privacy rules
                fired (counts, never values). Sends nothing, writes no file.
            """
        ),
        (
            "verify",
            """
            verify --signature "t=…,n=…,v2=…" --path PATH --content-type TYPE [--content-encoding ENC]
                   [--method POST] [--key KEY] [--tolerance SECONDS] [--allow-v1] [FILE]
                Check a captured request's X-Automagik-Signature against its method, path, content
                headers and exact body (FILE or standard input) under the key (else
                AUTOMAGIK_TELEMETRY_SIGNING_KEY); prints the nonce; 0 when valid. --allow-v1 accepts a
                body-only v1 signature.
            """
        ),
        (
            "privacy",
            """
            privacy [FILE]
                Run the privacy engine (default policy) over JSON lines {"key": K, "value": V} (V a
                string or number; key optional) and print {"value": CLEAN or null, "rules": {RULE: N}}
                per line: what would leave the process. Reads standard input without FILE.
            """
        ),
        (
            "schema",
            """
            schema print [--flavor modern|legacy] [--cluster NAME] [--database NAME]
            schema apply [--endpoint URL] [--username USER] [--password PASSWORD] [--flavor …] [--cluster NAME]
                Print or apply (idempotently) the ClickHouse tables and rollups. Settings also come from
                AUTOMAGIK_TELEMETRY_CLICKHOUSE_* variables; the flavour is detected from the server.
                Apply refuses to run over a table of the same name that is not this SDK's.
            schema check [same options]
                Per table: missing, current, needs migration (which columns), or foreign (another
                schema's table of the same name, never written into). Exit 0 only when all are current.
            schema migrate [same options]
                Add the columns an older version of this SDK's tables lacks and record the version.
            """
        ),
    ]

    /// The whole usage: every command, then the exit statuses.
    static var usage: String {
        "usage: automagik-telemetry <command> [options]   (COMMAND --help for one command)\n\ncommands:\n"
            + commandUsages.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") }
            .joined(separator: "\n")
            + "\n\nExit status: 0 success, 1 not delivered (disabled, rejected or failed), 2 usage error."
    }

    /// The usage of `command`, or nil for an unknown command.
    static func usage(of command: String) -> String? {
        commandUsages.first { $0.command == command }.map { "usage: automagik-telemetry " + $0.text }
    }

    static func run(arguments: [String], environment: [String: String], output: some CommandOutput) async -> Int32 {
        guard let command = arguments.first else {
            output.error(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        // `COMMAND --help` (anywhere among its arguments) prints that command's usage and runs nothing.
        if rest.contains("--help") || rest.contains("-h"), let text = usage(of: command) {
            output.print(text)
            return 0
        }
        do {
            switch command {
            case "demo":
                return try await Demo.run(rest, environment: environment, output: output)
            case "status":
                return try StatusCommand.run(rest, environment: environment, output: output)
            case "settings":
                guard rest.isEmpty else { throw UsageError("settings takes no arguments") }
                output.print(SettingsCatalog.markdownTable())
                return 0
            case "verify":
                return try VerifyCommand.run(rest, environment: environment, output: output)
            case "inspect":
                return try await InspectCommand.run(rest, environment: environment, output: output)
            case "send":
                return try await SendCommand.run(rest, environment: environment, output: output)
            case "privacy":
                return try PrivacyCommand.run(rest, output: output)
            case "schema":
                return try await SchemaCommand.run(rest, environment: environment, output: output)
            case "help", "--help", "-h":
                output.print(usage)
                return 0
            default:
                throw UsageError("unknown command \"\(command)\"")
            }
        } catch let error as UsageError {
            output.error("error: \(error.description)")
            output.error(
                usage(of: command) != nil
                    ? "run `automagik-telemetry \(command) --help` for its usage"
                    : "commands: \(commandUsages.map(\.command).joined(separator: ", ")) (`automagik-telemetry help` for all)")
            return 2
        } catch let error as ConfigurationError {
            output.error("error: \(error.description)")
            return 2
        } catch {
            output.error("error: \(error)")
            return 1
        }
    }
}

enum StatusCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) throws -> Int32 {
        let parsed = try Arguments(arguments, allowedOptions: ["project", "version"])
        guard parsed.positionals.isEmpty else { throw UsageError("status takes no arguments") }
        let reader = DictionaryEnvironment(environment)
        let configuration = TelemetryConfiguration(
            projectName: parsed.options["project"] ?? "automagik-telemetry-cli",
            version: parsed.options["version"] ?? SDKInfo.version
        )
        let resolved = try ResolvedConfiguration(configuration, environment: reader)
        let store = FileStateStore.forCurrentUser(environment: reader)
        let decision = ConsentDecision.decide(codeSetting: nil, runtimeChoice: nil, environment: reader, store: store)
        let status = TelemetryStatus(
            configuration: resolved, decision: decision, isEnabled: decision.isEnabled, anonymousID: store.read(.anonymousID),
            sessionID: nil, spoolDirectory: AutomagikTelemetry.spoolDirectory(for: resolved, stateStore: store),
            scrubber: SecretScrubber(configuration: resolved)
        )
        output.print(status.description)
        output.print("state directory: \(store.stateDirectory)")
        return 0
    }
}
