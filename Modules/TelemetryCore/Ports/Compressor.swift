/// Port: a content encoding for request bodies. Adapter: `GzipCompressor` (TelemetryGzip, zlib).
public protocol Compressor: Sendable {
    /// The `Content-Encoding` token this compressor produces, e.g. `gzip`.
    var contentEncoding: String { get }

    /// Compresses `bytes`; throws only when the underlying library fails, in which case callers
    /// send the body uncompressed without a `Content-Encoding` header.
    func compress(_ bytes: [UInt8]) throws -> [UInt8]
}
