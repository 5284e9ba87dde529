import Testing
import TelemetryCore

@Suite struct SeverityTests {
    @Test func numbersMatchOpenTelemetry() {
        #expect(Severity.allCases.map(\.rawValue) == [1, 5, 9, 13, 17, 21])
        #expect(Severity.allCases.map(\.text) == ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"])
    }

    @Test(arguments: [
        ("warning", Severity.warn), ("WARN", .warn), ("critical", .fatal), ("Info", .info), ("3", .trace),
        ("10", .info), ("24", .fatal), ("17", .error),
    ])
    func parsing(text: String, expected: Severity) {
        #expect(Severity(parsing: text) == expected)
    }

    @Test func rejectsUnknown() {
        #expect(Severity(parsing: "loud") == nil)
        #expect(Severity(parsing: "0") == nil)
        #expect(Severity(parsing: "25") == nil)
    }
}
