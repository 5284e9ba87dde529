public import TelemetryCore

/// Turns tracked events and errors into spans, following OpenTelemetry's semantic conventions.
///
/// Each tracked item is its own trace: the SDK records product analytics, not request trees, so every
/// span is a root span with fresh ids. Ids come from the injected `RandomSource`; time is passed in.
public struct SpanFactory: Sendable {
    private let ids: any RandomSource

    /// Creates a factory drawing ids from `ids`.
    public init(ids: any RandomSource) {
        self.ids = ids
    }

    /// A span for an event named `name` that ended at `end` and lasted `duration` (zero for instantaneous
    /// events), in the trace `traceID` (a fresh one when nil; the sampler decides on it beforehand).
    public func eventSpan(
        name: String,
        attributes: TelemetryAttributes,
        end: Timestamp,
        duration: Duration = .zero,
        traceID: TraceID? = nil
    ) -> SpanRecord {
        SpanRecord(
            traceID: traceID ?? TraceID.random(using: ids),
            spanID: SpanID.random(using: ids),
            name: name,
            kind: .internal,
            startTime: end.advanced(by: .zero - max(.zero, duration)),
            endTime: end,
            attributes: attributes,
            status: .unset
        )
    }

    /// A span describing a failure: named `automagik.error`, status ERROR with the message, the parity
    /// attributes `error_type` / `error_message`, and an `exception` event carrying `exception.type`,
    /// `exception.message` and, when known, `exception.stacktrace`.
    public func errorSpan(_ failure: ErrorDescription, attributes: TelemetryAttributes, at time: Timestamp) -> SpanRecord {
        var spanAttributes = attributes
        spanAttributes[ErrorConventions.errorTypeAttribute] = .string(failure.type)
        spanAttributes[ErrorConventions.errorMessageAttribute] = .string(
            Truncation.prefix(failure.message, maxUTF8Bytes: ErrorConventions.maxMessageBytes)
        )
        var eventAttributes: TelemetryAttributes = [
            ErrorConventions.exceptionType: .string(failure.type),
            ErrorConventions.exceptionMessage: .string(failure.message),
        ]
        if let stackTrace = failure.stackTrace, !stackTrace.isEmpty {
            eventAttributes[ErrorConventions.exceptionStacktrace] = .string(stackTrace)
        }
        return SpanRecord(
            traceID: TraceID.random(using: ids),
            spanID: SpanID.random(using: ids),
            name: ErrorConventions.spanName,
            kind: .internal,
            startTime: time,
            endTime: time,
            attributes: spanAttributes,
            events: [SpanEvent(name: ErrorConventions.exceptionEventName, time: time, attributes: eventAttributes)],
            status: .error(failure.message)
        )
    }
}

/// What the SDK knows about a tracked error, captured on the caller's thread.
public struct ErrorDescription: Sendable, Hashable {
    /// The error's type name, e.g. `URLError` or `MyApp.ImportError`.
    public var type: String
    /// A human-readable description.
    public var message: String
    /// A stack trace as text, when one was captured.
    public var stackTrace: String?

    /// Creates a description.
    public init(type: String, message: String, stackTrace: String? = nil) {
        self.type = type
        self.message = message
        self.stackTrace = stackTrace
    }
}

/// Names used for error spans: OpenTelemetry's exception conventions plus the original SDKs' attributes.
package enum ErrorConventions {
    /// Span name of every tracked error (parity with `StandardEvents.errorOccurred`).
    package static let spanName = "automagik.error"
    /// The span event OpenTelemetry reserves for exceptions.
    package static let exceptionEventName = "exception"
    /// `exception.type`, OpenTelemetry's attribute for the error's type.
    package static let exceptionType = "exception.type"
    /// `exception.message`, the error's message.
    package static let exceptionMessage = "exception.message"
    /// `exception.stacktrace`, the stack trace when known.
    package static let exceptionStacktrace = "exception.stacktrace"
    /// Parity attribute with the Python/TypeScript SDKs.
    package static let errorTypeAttribute = "error_type"
    /// Parity attribute, at most `maxMessageBytes` UTF-8 bytes.
    package static let errorMessageAttribute = "error_message"
    /// Limit of `error_message`, as in the original SDKs (500).
    package static let maxMessageBytes = 500
}
