#if os(Linux)
/// The transport the SDK uses when none is injected: libcurl on Linux, where `URLSession` cannot
/// bound what a hostile server sends (see `CurlHTTPClient`).
public typealias DefaultHTTPClient = CurlHTTPClient

extension CurlHTTPClient {
    /// Whether this platform's default transport honours `TLSFiles`.
    public static let supportsTLSFiles = true

    /// The default transport with `tls` applied.
    public static func makeDefault(tls: TLSFiles) -> CurlHTTPClient { CurlHTTPClient(tls: tls) }
}
#else
/// The transport the SDK uses when none is injected: `URLSession` on Apple platforms.
public typealias DefaultHTTPClient = URLSessionHTTPClient

extension URLSessionHTTPClient {
    /// Whether this platform's default transport honours `TLSFiles` (not URLSession: system trust, keychain identities).
    public static let supportsTLSFiles = false

    /// The default transport; `tls` is not applied (see `supportsTLSFiles`).
    public static func makeDefault(tls: TLSFiles) -> URLSessionHTTPClient { URLSessionHTTPClient() }
}
#endif
