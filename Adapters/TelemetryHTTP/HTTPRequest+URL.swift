import Foundation
import TelemetryCore

extension HTTPRequest {
    /// The request's URL when it is absolute `http` or `https` with a host; every transport refuses
    /// anything else before any I/O (no `file://`, no relative paths).
    func validatedURL() throws(HTTPClientError) -> URL {
        guard let url = URL(string: self.url), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else { throw .invalidURL(self.url) }
        return url
    }
}
