/// Log severity, with OpenTelemetry's `SeverityNumber` values (TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21).
public enum Severity: Int32, Sendable, Hashable, CaseIterable, Comparable {
    case trace = 1
    case debug = 5
    case info = 9
    case warn = 13
    case error = 17
    case fatal = 21

    /// The OpenTelemetry short name, upper case: `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL`.
    public var text: String {
        switch self {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warn: "WARN"
        case .error: "ERROR"
        case .fatal: "FATAL"
        }
    }

    /// Parses a name case-insensitively (`warning` and `critical` included, as the Python original
    /// accepts) or an OpenTelemetry severity number 1–24, mapped to its range's base severity.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "warn", "warning": self = .warn
        case "error": self = .error
        case "fatal", "critical": self = .fatal
        default:
            guard let number = Int32(text), (1...24).contains(number) else { return nil }
            self = Severity(rawValue: (number - 1) / 4 * 4 + 1)!
        }
    }

    /// Less severe first, by OpenTelemetry severity number.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}
