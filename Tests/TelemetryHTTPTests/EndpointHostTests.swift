import TelemetryHTTP
import Testing

/// The configuration's "plain http only to this machine" and the transport's "no proxy for this
/// machine" read a URL's host through this one function, and refuse hosts libcurl could read otherwise.
@Suite struct EndpointHostTests {
    @Test(arguments: [
        "http://127.0.0.1%00.evil.example:4318", "http://localhost%2eevil.example", "http://local host", "http://a\\b.example",
        "http://[fe80::1%25eth0]:4318", "http://\u{7F}x.example",
    ])
    func hostsReadDifferentlyAreRefused(url: String) {
        #expect(EndpointHost.parse(url) == nil)
    }

    @Test func ordinaryHostsAreReadLowerCased() throws {
        let (scheme, host) = try #require(EndpointHost.parse("HTTPS://Collector.Example.COM:4318/v1"))
        #expect(scheme == "https" && host == "collector.example.com")
    }

    /// Review #22 (low): `localhost.` is an absolute name the resolver looks up like any other; the
    /// validator took it for loopback (and allowed plain http to it).
    @Test func aTrailingDotIsNotLoopback() {
        #expect(!EndpointHost.isLoopback("localhost."))
        #expect(!EndpointHost.isLoopback("127.0.0.1."))
        #expect(EndpointHost.isLoopback("localhost") && EndpointHost.isLoopback("127.0.0.1") && EndpointHost.isLoopback("[::1]"))
        #expect(!EndpointHost.isLoopback("127.0.0.1\u{0}.evil.example"))
    }
}
