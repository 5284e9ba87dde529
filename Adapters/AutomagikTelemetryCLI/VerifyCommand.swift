import Foundation
import TelemetryCore
import TelemetryPrivacy

/// `verify --signature "t=…,n=…,v2=…" --path PATH --content-type TYPE [--content-encoding ENC] [--method M]
/// [--key KEY] [--tolerance SECONDS] [--allow-v1] [FILE]`: checks a captured request's
/// `X-Automagik-Signature` against the request (its line, its content headers and the exact body bytes,
/// from FILE or standard input) and the key (`--key`, else `AUTOMAGIK_TELEMETRY_SIGNING_KEY`). Without
/// `--path` only a body-only v1 signature can be checked, and only with `--allow-v1`. Exit 0 when valid,
/// 1 otherwise.
enum VerifyCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) throws -> Int32 {
        let parsed = try Arguments(
            arguments,
            allowedOptions: ["signature", "key", "tolerance", "method", "path", "content-type", "content-encoding", "allow-v1"])
        guard let signature = parsed.options["signature"] else { throw UsageError("verify needs --signature \"t=…,n=…,v2=…\"") }
        guard let key = parsed.options["key"] ?? environment["AUTOMAGIK_TELEMETRY_SIGNING_KEY"], !key.isEmpty else {
            throw UsageError("verify needs --key or AUTOMAGIK_TELEMETRY_SIGNING_KEY")
        }
        let tolerance: Duration
        if let text = parsed.options["tolerance"] {
            guard let seconds = DecimalDigits.value(of: text.utf8) else { throw UsageError("--tolerance takes whole seconds, got \"\(text)\"") }
            tolerance = .seconds(Int64(clamping: seconds))
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
        let request = RequestSignature.Request(
            method: parsed.options["method"] ?? "POST", path: parsed.options["path"] ?? "",
            contentType: parsed.options["content-type"] ?? "", contentEncoding: parsed.options["content-encoding"] ?? "", body: body)
        let allowBodyOnly = parsed.options["allow-v1"] != nil
        switch RequestSignature.verify(
            signature, request: request, key: Array(key.utf8), now: now, tolerance: tolerance, allowBodyOnly: allowBodyOnly)
        {
        case .success(let verified):
            let covered = verified.coversRequest ? "\(request.method) \(request.path), its content headers and " : "(v1: body only) "
            output.print("valid: \(covered)\(body.count) bytes signed with this key within \(tolerance.components.seconds) s")
            if let nonce = verified.nonce { output.print("nonce: \(nonce) (refuse it if seen before)") }
            return 0
        case .failure(let failure):
            output.print("invalid: \(failure)")
            return 1
        }
    }
}
