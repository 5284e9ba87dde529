import TelemetryCore
import TelemetryLogs
import TelemetryMetrics
import TelemetryPrivacy
import TelemetrySpans

/// Turns raw intake items into clean records: the privacy rules first, then spans, log records, or a
/// measurement folded into the metric aggregator. Owned by the engine; single-threaded.
package struct ItemConverter {
    /// What one item became.
    package enum Output {
        /// A span, and a rough guess of its encoded size (for the batch byte limit).
        case span(SpanRecord, estimatedBytes: Int)
        case log(LogRecord, estimatedBytes: Int)
        /// Folded into the aggregator, or not kept (rejected, sampled out, rate-limited; each counted):
        /// nothing to batch now.
        case aggregated
    }

    private let sanitizer: PrivacySanitizer
    private let spanFactory: SpanFactory
    private let logFactory: LogFactory
    /// The original SDKs' `system.*` span attributes, added to every span.
    private let spanAttributes: TelemetryAttributes
    private let report: DiagnosticsReporter
    private var aggregator: MetricAggregator
    /// Event names are a small set of constants: clean each once (bounded, reset when full). Keys are
    /// at most `IntakeLimits.maxHeldNameBytes` long (the caller cuts longer names).
    private var cleanNames: [String: (name: String, rules: RedactionCounts)] = [:]
    /// Metric names and units that passed (true) or failed (false) the privacy rules; keys are at most
    /// 255 bytes.
    private var metricTexts: [String: Bool] = [:]

    /// Redaction firings and rejected measurements since the last `takeCounts()`.
    private var redactions = RedactionCounts()
    private var rejected: [DropReason: Int] = [:]
    /// Event spans the sampler did not keep, since the last `takeCounts()`.
    private var sampledOut = 0
    private let sampler: TraceSampler
    private var rateLimiter: EventRateLimiter?
    private let ids: any RandomSource

    package init(
        privacy: PrivacyPolicy, salt: [UInt8], spanAttributes: TelemetryAttributes, temporality: AggregationTemporality,
        ids: any RandomSource, startTime: Timestamp, report: @escaping DiagnosticsReporter,
        sampler: TraceSampler = TraceSampler(), eventRateLimit: (perSecond: Double, burst: Int)? = nil
    ) {
        self.sampler = sampler
        self.ids = ids
        rateLimiter = eventRateLimit.map { EventRateLimiter(perSecond: $0.perSecond, burst: $0.burst) }
        sanitizer = PrivacySanitizer(policy: privacy, salt: salt)
        spanFactory = SpanFactory(ids: ids)
        logFactory = LogFactory(maxBodyBytes: privacy.maxTextBytes)
        self.spanAttributes = spanAttributes
        self.report = report
        aggregator = MetricAggregator(temporality: temporality, startTime: startTime)
    }

    package mutating func convert(_ item: IntakeItem) -> Output {
        switch item {
        case .event(let name, let attributes, let time, let duration):
            // Sampled on the trace id first (cheap, and a sampled-out event costs no privacy pass), then
            // rate-limited per name; neither applies to errors.
            let eventName = cleanEventName(name)
            let traceID = TraceID.random(using: ids)
            guard sampler.keepsEverything || sampler.keeps(traceID, eventName: eventName) else {
                sampledOut += 1
                return .aggregated
            }
            // Optional chaining mutates the limiter in place (a copy would copy its buckets per event).
            if rateLimiter?.allows(eventName, at: time) == false {
                rejected[.rateLimited, default: 0] += 1
                report("event.rate_limited", "events over the per-name rate limit are dropped and counted rate_limited")
                return .aggregated
            }
            var clean = sanitizer.sanitize(attributes, counts: &redactions)
            if !spanAttributes.isEmpty { clean.addMissing(spanAttributes) }
            let span = spanFactory.eventSpan(name: eventName, attributes: clean, end: time, duration: duration, traceID: traceID)
            return .span(span, estimatedBytes: Self.estimatedSize(span.name, span.attributes))
        case .thrown(let error, let stackTrace, let attributes, let time):
            let failure = ErrorDescription(
                type: String(reflecting: type(of: error)), message: String(describing: error), stackTrace: stackTrace
            )
            return errorSpan(failure, attributes: attributes, time: time)
        case .error(let failure, let attributes, let time):
            return errorSpan(failure, attributes: attributes, time: time)
        case .metric(let name, let kind, let unit, let value, let attributes, let time):
            if let rejection = metricTextRejection(name: name, unit: unit) {
                reject(rejection, name: name)
                return .aggregated
            }
            let clean = sanitizer.sanitize(attributes, counts: &redactions)
            if let rejection = aggregator.record(name, kind: kind, unit: unit, value: value, attributes: clean, at: time) {
                reject(rejection, name: name)
            }
            return .aggregated
        case .log(let message, let severity, let attributes, let time):
            let clean = sanitizer.sanitize(attributes, counts: &redactions)
            let body = sanitizer.sanitize(text: message, counts: &redactions)
            let record = logFactory.record(message: body, severity: severity, attributes: clean, at: time)
            return .log(record, estimatedBytes: Self.estimatedSize(record.body, clean))
        }
    }

    /// The metric points of the interval ending at `time`; starts the next interval.
    package mutating func collectMetrics(at time: Timestamp) -> [MetricRecord] {
        aggregator.collect(at: time)
    }

    /// Redaction firings by rule, rejected items by reason and sampled-out events since the last call,
    /// and how many distinct event names have been rate-limited so far.
    package mutating func takeCounts() -> (redactions: [PrivacyRule: Int], rejected: [DropReason: Int], sampledOut: Int, rateLimitedNames: Int) {
        defer {
            redactions = RedactionCounts()
            rejected = [:]
            sampledOut = 0
        }
        return (redactions.counts, rejected, sampledOut, rateLimiter?.limitedNames.count ?? 0)
    }

    private mutating func reject(_ rejection: MeasurementRejection, name: String) {
        rejected[DropReason(rejection), default: 0] += 1
        // An invalid or private name may be anything (a megabyte, an e-mail address): never echo it.
        let shown = rejection == .instrumentConflict || rejection == .instrumentLimit ? "\"\(name)\"" : "(\(name.utf8.count) bytes)"
        report("metric.\(rejection.rawValue)", "metric \(shown) rejected: \(rejection.rawValue)")
    }

    /// Metric names and units are keys of the aggregator and go verbatim to every backend (ClickHouse
    /// rollups included), so unlike attribute values they cannot be redacted in place: a name or unit a
    /// privacy rule matches (a card number, a phone number) refuses the measurement, counted
    /// `invalid_metric` and under the rule that fired. Their syntax is the aggregator's to check.
    private mutating func metricTextRejection(name: String, unit: String) -> MeasurementRejection? {
        if !passesPrivacy(name) { return .invalidName }
        if !unit.isEmpty && !passesPrivacy(unit) { return .invalidUnit }
        return nil
    }

    private mutating func passesPrivacy(_ text: String) -> Bool {
        // Longer texts are invalid names anyway (the caller refuses them): never scanned nor cached.
        guard text.utf8.count <= MetricAggregator.maxInstrumentNameBytes else { return true }
        if let known = metricTexts[text] { return known }
        var rules = RedactionCounts()
        let passes = sanitizer.sanitize(value: text, counts: &rules) == text
        redactions.merge(rules)
        if metricTexts.count >= 2048 { metricTexts.removeAll(keepingCapacity: true) }
        metricTexts[text] = passes
        return passes
    }

    private mutating func cleanEventName(_ name: String) -> String {
        if let known = cleanNames[name] {
            redactions.merge(known.rules)
            return known.name
        }
        var rules = RedactionCounts()
        var clean = sanitizer.sanitize(value: name, counts: &rules)
        if clean.utf8.count > IntakeLimits.maxNameBytes {
            clean = Truncation.prefix(clean, maxUTF8Bytes: IntakeLimits.maxNameBytes)
            // One cut name is one truncation, even if the value limit already cut it once.
            if rules.counts[.truncated, default: 0] == 0 { rules.record(.truncated) }
        }
        if cleanNames.count >= 1024 { cleanNames.removeAll(keepingCapacity: true) }
        cleanNames[name] = (clean, rules)
        redactions.merge(rules)
        return clean
    }

    private mutating func errorSpan(_ failure: ErrorDescription, attributes: TelemetryAttributes, time: Timestamp) -> Output {
        var clean = sanitizer.sanitize(attributes, counts: &redactions)
        if !spanAttributes.isEmpty { clean.addMissing(spanAttributes) }
        let cleaned = ErrorDescription(
            type: sanitizer.sanitize(value: failure.type, counts: &redactions),
            message: sanitizer.sanitize(text: failure.message, counts: &redactions),
            stackTrace: failure.stackTrace.map { sanitizer.sanitize(text: $0, counts: &redactions) }
        )
        let span = spanFactory.errorSpan(cleaned, attributes: clean, at: time)
        let bytes = Self.estimatedSize(cleaned.message + (cleaned.stackTrace ?? ""), span.attributes) * 2
        return .span(span, estimatedBytes: bytes)
    }

    /// A cheap upper-bound guess of a record's encoded size, for the batch byte limit.
    static func estimatedSize(_ text: String, _ attributes: TelemetryAttributes) -> Int {
        var bytes = 96 + text.utf8.count
        for (key, value) in attributes {
            bytes += 12 + key.utf8.count
            if case .string(let string) = value { bytes += string.utf8.count } else { bytes += 10 }
        }
        return bytes
    }
}

/// Reports an SDK problem: a stable kind (reported once per kind) and a message that never contains
/// credentials or telemetry values. The client prints it to stderr when verbose, else ignores it.
package typealias DiagnosticsReporter = @Sendable (_ kind: String, _ message: String) -> Void

extension DropReason {
    init(_ rejection: MeasurementRejection) {
        switch rejection {
        case .nonFiniteValue: self = .nonFiniteValue
        case .negativeCounterIncrement: self = .negativeCounterIncrement
        case .instrumentConflict, .invalidName, .invalidUnit, .instrumentLimit: self = .invalidMetric
        }
    }
}
