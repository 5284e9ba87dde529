#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Checks endpoint URLs: absolute http(s) with a host; plain http only to loopback unless allowed.
enum EndpointValidator {
    /// `text` as URL components with its lower-cased scheme and its host, or nil when it has no scheme
    /// or no host.
    private static func parse(_ text: String) -> (components: URLComponents, scheme: String, host: String)? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return nil }
        return (components, scheme, host)
    }

    static func validate(_ text: String, setting: String, allowInsecureHTTP: Bool) throws(ConfigurationError) {
        guard let (_, scheme, host) = parse(text) else {
            throw ConfigurationError(setting: setting, problem: "\"\(text)\" is not an absolute http(s) URL")
        }
        switch scheme {
        case "https":
            return
        case "http":
            if allowInsecureHTTP || isLoopback(host) { return }
            throw ConfigurationError(
                setting: setting,
                problem: "plain http to \(host) would send telemetry unencrypted; use https, or set allowInsecureHTTP"
            )
        default:
            throw ConfigurationError(setting: setting, problem: "unsupported scheme \"\(scheme)\" in \"\(text)\"; use https")
        }
    }

    /// The first of `variables` holding a usable URL. An endpoint from the environment is the operator's
    /// deliberate choice: plain http to a remote host is accepted (and noted); a malformed value is
    /// recorded and skipped. With `grpc`, gRPC's standard port 4317 becomes OTLP/HTTP's 4318.
    static func firstFromEnvironment(
        _ variables: [String], env: EnvironmentValues, grpc: Bool
    ) -> (url: String, variable: String)? {
        for variable in variables {
            guard var text = env.string(variable) else { continue }
            guard let (parsed, scheme, host) = parse(text), scheme == "http" || scheme == "https" else {
                env.reject(variable, "\"\(text)\" is not an absolute http(s) URL; ignored")
                continue
            }
            var components = parsed
            if grpc && components.port == 4317 {
                components.port = 4318
                text = components.string ?? text
            }
            if scheme == "http" && !isLoopback(host) {
                env.note("\(variable): plain http to \(host) accepted because the environment asks for it; telemetry travels unencrypted")
            }
            return (text, variable)
        }
        return nil
    }

    /// Whether `host` certainly means this machine: exactly `localhost`, or an address literal in
    /// 127.0.0.0/8 or ::1 (also written long, or IPv4-mapped). Parsed, not prefix-matched:
    /// `127.attacker.example` and `127.0.0.1.nip.io` are public names that merely start like loopback,
    /// and `*.localhost` is only loopback if the resolver says so.
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        return bytes == loopback || (Array(bytes[..<12]) == mappedPrefix && bytes[12] == 127)
    }
}
