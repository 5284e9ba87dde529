// An app writes `import AutomagikTelemetry` and nothing else. The client's own signatures use values
// defined in the modules below (attributes and their literals, `Severity`, `InstrumentKind`,
// `PrivacyPolicy`, `PrivacyRule`, the exporter port for custom backends); with `MemberImportVisibility`
// an app would otherwise have to import each of them by name to write
// `telemetry.trackEvent("x", attributes: ["plan": "pro"])`. swift-distributed-tracing's `Tracing`
// re-exports `Instrumentation` for the same reason.
@_exported import TelemetryCore
@_exported import TelemetryMetrics
@_exported import TelemetryPrivacy
