import TelemetryCore

#if os(Linux)
/// The transport the SDK uses when none is injected: libcurl on Linux, where `URLSession` cannot
/// bound what a hostile server sends (see `CurlHTTPClient`).
public typealias DefaultHTTPClient = CurlHTTPClient

extension CurlHTTPClient {
    /// Whether this platform's default transport honours `TLSFiles`.
    public static let supportsTLSFiles = true

    /// Whether this platform's default transport routes requests by `ProxyRoute` (libcurl) rather than
    /// by the system's proxy settings (URLSession).
    package static let routesByProxyVariables = true

    /// The default transport with `tls` applied, its proxy decided from `environment` (`ProxyRoute`).
    public static func makeDefault(tls: TLSFiles, environment: (any EnvironmentReader)? = nil) -> CurlHTTPClient {
        CurlHTTPClient(tls: tls, environment: environment)
    }
}
#else
/// The transport the SDK uses when none is injected: `URLSession` on Apple platforms.
public typealias DefaultHTTPClient = URLSessionHTTPClient

extension URLSessionHTTPClient {
    /// Whether this platform's default transport honours `TLSFiles` (not URLSession: system trust, keychain identities).
    public static let supportsTLSFiles = false

    /// Whether this platform's default transport routes requests by `ProxyRoute` (libcurl) rather than
    /// by the system's proxy settings (URLSession).
    package static let routesByProxyVariables = false

    /// The default transport; `tls` is not applied (see `supportsTLSFiles`) and proxies are the system's.
    public static func makeDefault(tls: TLSFiles, environment: (any EnvironmentReader)? = nil) -> URLSessionHTTPClient {
        URLSessionHTTPClient()
    }
}
#endif
