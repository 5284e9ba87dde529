/// A finished span, ready to export. Events and errors tracked by the client become spans.
public struct SpanRecord: Sendable, Hashable {
    /// The trace (every tracked item is its own trace).
    public var traceID: TraceID
    /// The span's id, unique within its trace.
    public var spanID: SpanID
    /// The parent span, or nil for a root span.
    public var parentSpanID: SpanID?
    /// The span's name (an event name, or `automagik.error`).
    public var name: String
    /// OpenTelemetry's span kind (`internal` for tracked items).
    public var kind: SpanKind
    /// When the span started.
    public var startTime: Timestamp
    /// Not before `startTime`; equal for instantaneous events.
    public var endTime: Timestamp
    /// The span's attributes, after the privacy rules.
    public var attributes: TelemetryAttributes
    /// Timestamped annotations, e.g. the `exception` event of an error span.
    public var events: [SpanEvent]
    /// Unset, OK, or an error with its message.
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

    /// Unset, OK or error.
    public var code: Code
    /// The error's message (empty unless `code` is error).
    public var message: String

    /// Creates a status; OpenTelemetry ignores `message` unless `code` is `.error`.
    public init(code: Code, message: String = "") {
        self.code = code
        self.message = message
    }

    /// No status set (the default).
    public static let unset = SpanStatus(code: .unset)
    /// Explicitly successful.
    public static let ok = SpanStatus(code: .ok)
    /// An error status carrying a human-readable description.
    public static func error(_ message: String) -> SpanStatus { SpanStatus(code: .error, message: message) }
}

/// A timestamped annotation on a span.
public struct SpanEvent: Sendable, Hashable {
    /// The event's name (`exception` for an error's details).
    public var name: String
    /// When it happened.
    public var time: Timestamp
    /// The event's attributes (`exception.type`, `exception.message`, …), after the privacy rules.
    public var attributes: TelemetryAttributes

    /// Creates an event.
    public init(name: String, time: Timestamp, attributes: TelemetryAttributes = [:]) {
        self.name = name
        self.time = time
        self.attributes = attributes
    }
}
