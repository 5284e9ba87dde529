import Foundation
import TelemetryCore
import TelemetryPrivacy

/// `verify --signature "t=…,v1=…" [--key KEY] [--tolerance SECONDS] [FILE]`: checks a captured request's
/// `X-Automagik-Signature` against its body (the exact bytes, from FILE or standard input) and the key
/// (`--key`, else `AUTOMAGIK_TELEMETRY_SIGNING_KEY`). Exit 0 when valid, 1 otherwise.
enum VerifyCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) throws -> Int32 {
        let parsed = try Arguments(arguments, allowedOptions: ["signature", "key", "tolerance"])
        guard let signature = parsed.options["signature"] else { throw UsageError("verify needs --signature \"t=…,v1=…\"") }
        guard let key = parsed.options["key"] ?? environment["AUTOMAGIK_TELEMETRY_SIGNING_KEY"], !key.isEmpty else {
            throw UsageError("verify needs --key or AUTOMAGIK_TELEMETRY_SIGNING_KEY")
        }
        let tolerance: Duration
        if let text = parsed.options["tolerance"] {
            guard let seconds = Int64(text), seconds >= 0 else { throw UsageError("--tolerance takes whole seconds, got \"\(text)\"") }
            tolerance = .seconds(seconds)
        } else {
            tolerance = .seconds(300)
        }
        guard parsed.positionals.count <= 1 else { throw UsageError("verify reads one body: FILE or standard input") }
        let body: [UInt8]
        if let path = parsed.positionals.first {
            guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read \(path)") }
            body = Array(data)
        } else {
            body = Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        let now = Timestamp(nanosecondsSinceEpoch: UInt64(max(0, Date().timeIntervalSince1970 * 1e9)))
        switch RequestSignature.verify(signature, body: body, key: Array(key.utf8), now: now, tolerance: tolerance) {
        case .success:
            output.print("valid: \(body.count) bytes signed with this key within \(tolerance.components.seconds) s")
            return 0
        case .failure(let failure):
            output.print("invalid: \(failure)")
            return 1
        }
    }
}
