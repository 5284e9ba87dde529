@_spi(Internals) import TelemetryCore
import Testing

@Suite struct SecretTests {
    @Test func neitherDescriptionNorMirrorShowsTheValue() {
        let secret = Secret("hunter2")
        #expect(secret.description == "<redacted>")
        #expect(secret.debugDescription == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(Mirror(reflecting: secret).children.isEmpty)
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(secret.value == "hunter2")
    }

    @Test func headerNamesStayEmptyAndAbsentValuesShowAsSuch() {
        #expect(Secret(["X-Key": "v"]).description == "[X-Key: <redacted>]")
        #expect(Secret([HTTPHeader("Authorization", "Bearer x")]).description == "[Authorization: <redacted>]")
        #expect(Secret(String?.none).description == "nil")
        #expect(Secret("").description == "\"\"")
    }
}
