/// Files for TLS beyond the system's defaults: a CA bundle to trust instead of the system's (a private
/// collector's CA), and a client certificate and key for mutual TLS. Paths to PEM files.
///
/// Honoured by `CurlHTTPClient` (Linux). `URLSessionHTTPClient` does not take them: on Apple platforms
/// trust is the system's and client identities come from the keychain.
public struct TLSFiles: Sendable, Hashable {
    /// PEM bundle of the CAs to trust, replacing the system's bundle; nil for the system's.
    public var caCertificate: String?
    /// PEM client certificate for mutual TLS; nil for none.
    public var clientCertificate: String?
    /// PEM private key of `clientCertificate`; nil for none (or when the certificate file holds it).
    public var clientKey: String?

    /// Creates a set of files; all optional.
    public init(caCertificate: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil) {
        self.caCertificate = caCertificate
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }

    /// Whether no file is set.
    public var isEmpty: Bool { caCertificate == nil && clientCertificate == nil && clientKey == nil }
}
