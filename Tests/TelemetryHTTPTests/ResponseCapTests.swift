@testable import TelemetryHTTP
import Testing

@Suite struct ResponseCapTests {
    @Test func chunksAreKeptUpToTheCapAndTheTransferStopsPastIt() {
        #expect(ResponseCap.room(kept: 0, chunkLength: 10, cap: 64) == (10, false))
        #expect(ResponseCap.room(kept: 54, chunkLength: 10, cap: 64) == (10, false))
        #expect(ResponseCap.room(kept: 60, chunkLength: 10, cap: 64) == (4, true))
    }

    @Test func hostileLengthsSaturate() {
        #expect(ResponseCap.room(kept: 64, chunkLength: Int.max, cap: 64) == (0, true))
        #expect(ResponseCap.room(kept: Int.max, chunkLength: Int.max, cap: 64) == (0, true))
        #expect(ResponseCap.room(kept: 0, chunkLength: -1, cap: 64) == (0, false))
    }
}
