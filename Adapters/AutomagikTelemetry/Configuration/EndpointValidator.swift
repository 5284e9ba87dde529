import Foundation
import TelemetryHTTP

/// Checks endpoint URLs: absolute http(s) with a host; plain http only to loopback unless allowed.
enum EndpointValidator {
    /// `text` as URL components with its lower-cased scheme and its host, or nil when it has no scheme
    /// or no host.
    private static func parse(_ text: String) -> (components: URLComponents, scheme: String, host: String)? {
        guard let components = URLComponents(string: text), let (scheme, host) = EndpointHost.parse(text) else { return nil }
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

    /// Whether `host` certainly means this machine (`EndpointHost.isLoopback`, which the transport's
    /// proxy decision shares).
    static func isLoopback(_ host: String) -> Bool { EndpointHost.isLoopback(host) }
}
