import Testing
@_spi(Internals) import TelemetryCore

private final class Sequence: RandomSource {
    let values: [UInt64]
    private let index = LockedBox(0)

    init(values: [UInt64]) { self.values = values }

    func nextUInt64() -> UInt64 {
        index.withLock { index in
            defer { index += 1 }
            return values[index % values.count]
        }
    }
}

@Suite struct TraceIDTests {
    @Test func hexIsLowercaseAndZeroPadded() {
        let id = TraceID(high: 0x0102_0304_0506_0708, low: 0xA0B0_C0D0_E0F0_0001)
        #expect(id.hexString == "0102030405060708a0b0c0d0e0f00001")
        #expect(id.hexString.count == 32)
        #expect(id.bytes == [1, 2, 3, 4, 5, 6, 7, 8, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0, 0, 1])
        #expect(SpanID(0xFF).hexString == "00000000000000ff")
    }

    @Test func hexRoundTrips() {
        let id = TraceID(high: .max, low: 12345)
        #expect(TraceID(hexString: id.hexString) == id)
        #expect(SpanID(hexString: SpanID(99).hexString) == SpanID(99))
        #expect(TraceID(hexString: "abc") == nil)
        #expect(TraceID(hexString: String(repeating: "g", count: 32)) == nil)
        #expect(SpanID(hexString: "00000000000000000") == nil)
    }

    @Test func randomIdsSkipTheInvalidZero() {
        let source = Sequence(values: [0, 0, 0, 7])
        let trace = TraceID.random(using: source)
        #expect(trace.isValid)
        let span = SpanID.random(using: Sequence(values: [0, 0, 5]))
        #expect(span == SpanID(5))
        #expect(!TraceID(high: 0, low: 0).isValid)
        #expect(!SpanID(0).isValid)
    }

    @Test func uuidsAreVersion4() {
        let uuid = RandomUUID.make(using: Sequence(values: [.max, 0x1234_5678_9ABC_DEF0]))
        #expect(RandomUUID.isValid(uuid))
        let characters = Array(uuid)
        #expect(characters[14] == "4")
        #expect("89ab".contains(characters[19]))
        #expect(!RandomUUID.isValid("not-a-uuid"))
        #expect(!RandomUUID.isValid("zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz"))
    }
}
