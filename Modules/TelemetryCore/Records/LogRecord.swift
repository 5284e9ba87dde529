/// A log record, ready to export.
public struct LogRecord: Sendable, Hashable {
    /// When the event happened.
    public var time: Timestamp
    /// When the SDK saw it; equal to `time` for records tracked through the client.
    public var observedTime: Timestamp
    /// How serious the record is.
    public var severity: Severity
    /// The message, after privacy rules and truncation.
    public var body: String
    /// The record's attributes, after the privacy rules.
    public var attributes: TelemetryAttributes
    /// Trace correlation, when the record belongs to a span.
    public var traceID: TraceID?
    /// The span the record belongs to, if any.
    public var spanID: SpanID?

    /// Creates a record.
    public init(
        time: Timestamp,
        observedTime: Timestamp? = nil,
        severity: Severity,
        body: String,
        attributes: TelemetryAttributes = [:],
        traceID: TraceID? = nil,
        spanID: SpanID? = nil
    ) {
        self.time = time
        self.observedTime = observedTime ?? time
        self.severity = severity
        self.body = body
        self.attributes = attributes
        self.traceID = traceID
        self.spanID = spanID
    }
}
