import Testing
import TelemetryGzip

@Suite struct GzipCompressorTests {
    @Test func roundTripsAndWritesAGzipHeader() throws {
        let input = Array(String(repeating: "{\"key\":\"service.name\",\"value\":\"demo\"}", count: 200).utf8)
        let compressed = try GzipCompressor().compress(input)
        #expect(compressed.prefix(3) == [0x1F, 0x8B, 0x08])
        #expect(compressed.count < input.count / 10)
        #expect(try GzipDecompressor.decompress(compressed) == input)
        #expect(GzipCompressor().contentEncoding == "gzip")
    }

    @Test func emptyAndIncompressibleInput() throws {
        #expect(try GzipDecompressor.decompress(GzipCompressor().compress([])) == [])
        var state: UInt64 = 1
        let noise = (0..<10_000).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        #expect(try GzipDecompressor.decompress(GzipCompressor(level: 9).compress(noise)) == noise)
    }

    @Test func corruptInputThrows() {
        #expect(throws: (any Error).self) { try GzipDecompressor.decompress([1, 2, 3, 4]) }
        let valid = try! GzipCompressor().compress(Array("hello world hello world".utf8))
        #expect(throws: (any Error).self) { try GzipDecompressor.decompress(Array(valid.prefix(valid.count / 2))) }
    }

    @Test func levelsAreClamped() {
        #expect(GzipCompressor(level: 42).level == 9)
        #expect(GzipCompressor(level: -1).level == 1)
    }
}
