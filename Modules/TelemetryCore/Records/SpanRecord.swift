/// A finished span, ready to export. Events and errors tracked by the client become spans.
public struct SpanRecord: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// The parent span, or nil for a root span.
    public var parentSpanID: SpanID?
    public var name: String
    public var kind: SpanKind
    public var startTime: Timestamp
    /// Not before `startTime`; equal for instantaneous events.
    public var endTime: Timestamp
    public var attributes: TelemetryAttributes
    /// Timestamped annotations, e.g. the `exception` event of an error span.
    public var events: [SpanEvent]
    public var status: SpanStatus

    /// Creates a span; `endTime` earlier than `startTime` is raised to `startTime`.
    public init(
        traceID: TraceID,
        spanID: SpanID,
        parentSpanID: SpanID? = nil,
        name: String,
        kind: SpanKind = .internal,
        startTime: Timestamp,
        endTime: Timestamp,
        attributes: TelemetryAttributes = [:],
        events: [SpanEvent] = [],
        status: SpanStatus = .unset
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startTime = startTime
        self.endTime = max(endTime, startTime)
        self.attributes = attributes
        self.events = events
        self.status = status
    }

    /// `endTime - startTime`.
    public var duration: Duration { startTime.duration(to: endTime) }
}

/// OpenTelemetry `SpanKind`, with its protocol numbers.
public enum SpanKind: Int32, Sendable, Hashable, CaseIterable {
    case `internal` = 1
    case server = 2
    case client = 3
    case producer = 4
    case consumer = 5

    /// Upper-case name as OpenTelemetry spells it without the `SPAN_KIND_` prefix (`INTERNAL`, `SERVER`, …).
    public var name: String {
        switch self {
        case .internal: "INTERNAL"
        case .server: "SERVER"
        case .client: "CLIENT"
        case .producer: "PRODUCER"
        case .consumer: "CONSUMER"
        }
    }
}

/// OpenTelemetry span status. `message` is only meaningful for `.error`.
public struct SpanStatus: Sendable, Hashable {
    /// OpenTelemetry `Status.StatusCode`, with its protocol numbers.
    public enum Code: Int32, Sendable, Hashable {
        case unset = 0
        case ok = 1
        case error = 2

        /// `UNSET`, `OK` or `ERROR`.
        public var name: String {
            switch self {
            case .unset: "UNSET"
            case .ok: "OK"
            case .error: "ERROR"
            }
        }
    }

    public var code: Code
    public var message: String

    /// Creates a status; OpenTelemetry ignores `message` unless `code` is `.error`.
    public init(code: Code, message: String = "") {
        self.code = code
        self.message = message
    }

    public static let unset = SpanStatus(code: .unset)
    public static let ok = SpanStatus(code: .ok)
    /// An error status carrying a human-readable description.
    public static func error(_ message: String) -> SpanStatus { SpanStatus(code: .error, message: message) }
}

/// A timestamped annotation on a span.
public struct SpanEvent: Sendable, Hashable {
    public var name: String
    public var time: Timestamp
    public var attributes: TelemetryAttributes

    /// Creates an event.
    public init(name: String, time: Timestamp, attributes: TelemetryAttributes = [:]) {
        self.name = name
        self.time = time
        self.attributes = attributes
    }
}
