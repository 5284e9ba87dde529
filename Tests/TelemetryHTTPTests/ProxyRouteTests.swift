import TelemetryCore
@testable import TelemetryHTTP
import Testing

@Suite struct ProxyRouteTests {
    static let everyProxy = DictionaryEnvironment([
        "http_proxy": "http://p:3128", "https_proxy": "http://user:pw@s:3128", "all_proxy": "socks5://a:1080",
    ])

    @Test(arguments: ["http://127.0.0.1:4318/v1/traces", "http://localhost:8123", "https://[::1]:4318", "http://127.8.9.10"])
    func loopbackIsAlwaysDirect(url: String) {
        #expect(ProxyRoute.route(for: url, environment: Self.everyProxy) == .direct(reason: "loopback destination"))
    }

    @Test func eachSchemeReadsItsVariablesInCurlsOrder() {
        #expect(ProxyRoute.route(for: "https://c.example", environment: Self.everyProxy) == .proxy("http://user:pw@s:3128", variable: "https_proxy"))
        #expect(ProxyRoute.route(for: "http://c.example", environment: Self.everyProxy) == .proxy("http://p:3128", variable: "http_proxy"))
        let onlyAll = DictionaryEnvironment(["ALL_PROXY": "http://a:1"])
        #expect(ProxyRoute.route(for: "https://c.example", environment: onlyAll) == .proxy("http://a:1", variable: "ALL_PROXY"))
        #expect(ProxyRoute.route(for: "https://c.example", environment: DictionaryEnvironment()) == .direct(reason: "no proxy variable set"))
    }

    /// CGI servers put a request's `Proxy:` header into `HTTP_PROXY` ("httpoxy"); libcurl reads only the
    /// lower-case name for http, and so does this.
    @Test func upperCaseHTTPProxyIsNotRead() {
        let route = ProxyRoute.route(for: "http://c.example", environment: DictionaryEnvironment(["HTTP_PROXY": "http://evil:1"]))
        #expect(route == .direct(reason: "no proxy variable set"))
    }

    @Test(arguments: [
        ("*", "c.example", true), ("example", "c.example", true), (".example", "c.example", true), ("c.example", "c.example", true),
        ("xample", "c.example", false), ("other, c.example", "c.example", true), ("10.0.0.0/8", "10.1.2.3", true),
        ("10.0.0.0/8", "11.1.2.3", false), ("10.0.0.0/33", "10.1.2.3", false), ("", "c.example", false), ("0.0.0.0/0", "8.8.8.8", true),
    ])
    func noProxyMatchesLikeLibcurl(list: String, host: String, excluded: Bool) {
        #expect(ProxyRoute.excludes(list, host) == excluded)
    }

    @Test func statusSummaryHidesTheProxysCredentials() {
        #expect(ProxyRoute.proxy("http://user:pw@s:3128", variable: "https_proxy").summary == "http://<redacted>@s:3128 (from https_proxy)")
        #expect(ProxyRoute.direct(reason: "loopback destination").summary == "direct (loopback destination)")
    }
}
