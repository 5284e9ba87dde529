import Testing
import TelemetryCore

@Suite struct HexEncodingTests {
    @Test func integersAreSixteenLowercaseZeroPaddedDigits() {
        #expect(HexEncoding.hex(UInt64(0)) == "0000000000000000")
        #expect(HexEncoding.hex(UInt64(0xABC)) == "0000000000000abc")
        #expect(HexEncoding.hex(UInt64.max) == "ffffffffffffffff")
    }

    @Test func bytesAreTwoDigitsEach() {
        #expect(HexEncoding.hex([UInt8]()) == "")
        #expect(HexEncoding.hex([0x00, 0x0F, 0xF0, 0xFF]) == "000ff0ff")
    }
}
