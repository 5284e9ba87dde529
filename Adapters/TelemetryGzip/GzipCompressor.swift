import CZlib
import TelemetryCore

/// gzip (RFC 1952) through the system zlib: the `Content-Encoding: gzip` OTLP/HTTP and ClickHouse accept.
///
/// Stateless and thread-safe: each call owns its own `z_stream`.
public struct GzipCompressor: Compressor {
    /// zlib level 1–9. The default, 1, is measured on this SDK's OTLP payloads (`make bench`,
    /// component.gzip.*): 85 % smaller at ~290 MB/s, against 86 % at ~95 MB/s for zlib's usual 6 —
    /// telemetry is repetitive enough that the fastest level keeps almost all of the gain.
    public let level: Int32

    /// Creates a compressor; levels outside 1...9 are clamped.
    public init(level: Int32 = 1) {
        self.level = min(9, max(1, level))
    }

    /// `gzip`, the `Content-Encoding` of the bodies this compressor makes.
    public var contentEncoding: String { "gzip" }

    /// Errors from zlib, with its return code.
    public struct Failure: Error, Sendable, Hashable {
        /// zlib's return code.
        public let code: Int32
        /// Which zlib call failed (`deflateInit2`, `deflate`).
        public let stage: String
    }

    /// A complete gzip member (RFC 1952) holding `bytes`; throws `GzipError` only if zlib fails.
    public func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper instead of zlib's. memLevel 8 (zlib's default):
        // 9 took 7 % more instructions per batch (callgrind) for 0.05 % smaller bodies.
        var status = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else { throw Failure(code: status, stage: "deflateInit2") }
        defer { deflateEnd(&stream) }

        // Not zero-filled first: deflate writes what is kept, and the bound is as large as the input.
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        let output = [UInt8](unsafeUninitializedCapacity: bound) { outputBuffer, initialized in
            // zlib does not write through next_in (it is `z_const`); borrowing avoids copying the input.
            status = bytes.withUnsafeBufferPointer { inputBuffer in
                stream.next_in = inputBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
            initialized = status == Z_STREAM_END ? Int(stream.total_out) : 0
        }
        guard status == Z_STREAM_END else { throw Failure(code: status, stage: "deflate") }
        // A fresh array of the exact size: trimming `output` would keep its capacity (the uncompressed
        // size), and compressed batches wait in the buffer — measured: 119 MB RSS for 13 MB of batches.
        return Array(output[...])
    }
}

/// Inflates gzip data; used by tests and by the CLI to read compressed captures. Throws on corrupt input.
package enum GzipDecompressor {
    /// The decompressed bytes of one gzip member; rejects output larger than `limit` bytes.
    package static func decompress(_ bytes: [UInt8], limit: Int = 256 * 1024 * 1024) throws -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipCompressor.Failure(code: status, stage: "inflateInit2") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = bytes
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunkBuffer.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    throw GzipCompressor.Failure(code: status, stage: "inflate")
                }
                output.append(contentsOf: chunk[..<produced])
                guard output.count <= limit else { throw GzipCompressor.Failure(code: Z_BUF_ERROR, stage: "limit") }
                if produced == 0 && stream.avail_in == 0 && status != Z_STREAM_END {
                    throw GzipCompressor.Failure(code: Z_DATA_ERROR, stage: "truncated")
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
