public import TelemetryCore

/// Builds log records from tracked messages, applying the body length limit.
public struct LogFactory: Sendable {
    /// Longest body, in UTF-8 bytes, before truncation (1000 by default, as the privacy guarantees say).
    public var maxBodyBytes: Int

    /// Creates a factory.
    public init(maxBodyBytes: Int = 1000) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// A record for `message` observed at `time`; the body is cut to `maxBodyBytes` on a character boundary.
    public func record(
        message: String,
        severity: Severity,
        attributes: TelemetryAttributes,
        at time: Timestamp,
        traceID: TraceID? = nil,
        spanID: SpanID? = nil
    ) -> LogRecord {
        LogRecord(
            time: time,
            observedTime: time,
            severity: severity,
            body: Truncation.prefix(message, maxUTF8Bytes: maxBodyBytes),
            attributes: attributes,
            traceID: traceID,
            spanID: spanID
        )
    }

    /// Whether a body of `message` would be truncated.
    package func wouldTruncate(_ message: String) -> Bool { message.utf8.count > maxBodyBytes }
}
