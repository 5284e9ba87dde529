#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The host of an endpoint URL, read once for every component that decides by it — the configuration's
/// "plain http only to this machine" rule and the transport's "no proxy for this machine" rule — so
/// the two can never read one URL differently.
package enum EndpointHost {
    /// The lower-cased scheme and host of `url` when it is absolute with a host that libcurl and
    /// Foundation read alike; nil otherwise.
    ///
    /// Refused hosts (review #22): a `%` anywhere (Foundation decodes `127.0.0.1%00.evil.example` to a
    /// name whose C string ends at the NUL, which `inet_pton` then reads as loopback, while the
    /// resolver sees something else; an IPv6 zone id is not an endpoint for telemetry either), and
    /// control characters, spaces or backslashes.
    package static func parse(_ url: String) -> (scheme: String, host: String)? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let encodedHost = components.percentEncodedHost, !encodedHost.isEmpty,
            !encodedHost.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }),
            let host = components.host
        else { return nil }
        return (scheme, host.lowercased())
    }

    /// Whether `host` certainly means this machine: exactly `localhost`, or an address literal in
    /// 127.0.0.0/8 or ::1 (also written long, or IPv4-mapped). Parsed, not prefix-matched:
    /// `127.attacker.example` and `127.0.0.1.nip.io` are public names that merely start like loopback,
    /// `*.localhost` is only loopback if the resolver says so, and a trailing dot (`localhost.`) makes
    /// an absolute name the resolver looks up like any other.
    package static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        guard !name.contains("\0") else { return false }
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
