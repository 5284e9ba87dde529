import Foundation
import TelemetryCore

/// Whether a request goes through a proxy, decided by the SDK rather than left to libcurl's reading of
/// the environment, so that `status` shows exactly what the transport does.
///
/// - **Loopback destinations never use a proxy.** Plain http is allowed from code only to this machine
///   (and the ClickHouse default is `http://localhost:8123`); libcurl honoured `http_proxy`/`ALL_PROXY`
///   for them too, handing the body, the operator's `Authorization`, the ClickHouse password and the
///   signature in clear text to the proxy host (review #22, finding 3).
/// - **Other destinations follow the proxy variables libcurl documents** (its "ENVIRONMENT" section):
///   `https_proxy`/`HTTPS_PROXY` for https, `http_proxy` (lower case only: CGI servers set
///   `HTTP_PROXY` from a request header) for http, then `all_proxy`/`ALL_PROXY`; `no_proxy`/`NO_PROXY`
///   lists hosts (and their subdomains, `*` for all, IPv4 CIDR ranges) that go direct. A corporate
///   network that needs a proxy keeps working; the choice is shown in `status`.
///
/// Apple platforms use the system's proxy settings through URLSession (which bypasses loopback); this
/// decision is the libcurl transport's.
package enum ProxyRoute: Sendable, Hashable {
    /// Straight to the destination, with why.
    case direct(reason: String)
    /// Through `proxy` (a URL, possibly with credentials), named by the variable that set it.
    case proxy(String, variable: String)

    /// Every variable the decision reads.
    package static let variables = ["https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"]

    /// The route for a request to `url` under `environment`.
    package static func route(for url: String, environment: some EnvironmentReader) -> ProxyRoute {
        guard let (scheme, host) = EndpointHost.parse(url) else { return .direct(reason: "not an http(s) URL") }
        if EndpointHost.isLoopback(host) { return .direct(reason: "loopback destination") }
        let candidates = scheme == "https" ? ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] : ["http_proxy", "all_proxy", "ALL_PROXY"]
        guard let (proxy, variable) = candidates.lazy.compactMap({ name in nonEmpty(environment, name).map { ($0, name) } }).first
        else { return .direct(reason: "no proxy variable set") }
        if let exceptions = nonEmpty(environment, "no_proxy") ?? nonEmpty(environment, "NO_PROXY"), excludes(exceptions, host) {
            return .direct(reason: "listed in no_proxy")
        }
        return .proxy(proxy, variable: variable)
    }

    /// One line for `status`: `direct (loopback destination)` or `http://proxy:3128 (from https_proxy)`,
    /// the proxy's credentials removed.
    package var summary: String {
        switch self {
        case .direct(let reason): "direct (\(reason))"
        case .proxy(let url, let variable): "\(HumanText.withoutUserinfo(url)) (from \(variable))"
        }
    }

    private static func nonEmpty(_ environment: some EnvironmentReader, _ name: String) -> String? {
        guard let value = environment.value(for: name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// libcurl's `no_proxy` matching: `*` alone matches every host; an entry (a leading dot ignored)
    /// matches the same host and its subdomains; `a.b.c.d/n` matches IPv4 addresses in that range.
    static func excludes(_ list: String, _ host: String) -> Bool {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        for raw in list.split(separator: ",") {
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry == "*" { return true }
            if entry.hasPrefix(".") { entry.removeFirst() }
            guard !entry.isEmpty else { continue }
            if entry.contains("/"), let inRange = ipv4(name, inRange: entry) {
                if inRange { return true }
                continue
            }
            if name == entry || name.hasSuffix("." + entry) { return true }
        }
        return false
    }

    /// Whether IPv4 `address` lies in `cidr`; nil when either is not IPv4 / CIDR.
    private static func ipv4(_ address: String, inRange cidr: String) -> Bool? {
        let parts = cidr.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bits = DecimalDigits.value(of: parts[1].utf8), bits <= 32,
            let network = ipv4Value(parts[0]), let value = ipv4Value(Substring(address))
        else { return nil }
        let mask: UInt32 = bits == 0 ? 0 : UInt32.max << (32 - UInt32(bits))
        return network & mask == value & mask
    }

    private static func ipv4Value(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard octet.utf8.count <= 3, let number = DecimalDigits.value(of: octet.utf8), number <= 255 else { return nil }
            value = value << 8 | UInt32(number)
        }
        return value
    }
}
