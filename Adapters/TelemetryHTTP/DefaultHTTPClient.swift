#if os(Linux)
/// The transport the SDK uses when none is injected: libcurl on Linux, where `URLSession` cannot
/// bound what a hostile server sends (see `CurlHTTPClient`).
public typealias DefaultHTTPClient = CurlHTTPClient
#else
/// The transport the SDK uses when none is injected: `URLSession` on Apple platforms.
public typealias DefaultHTTPClient = URLSessionHTTPClient
#endif
