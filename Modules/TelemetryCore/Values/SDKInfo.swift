/// Facts about this SDK that appear on the wire: scope name and version, `telemetry.sdk.*` resource
/// attributes and the `User-Agent` header.
public enum SDKInfo {
    /// `telemetry.sdk.name`.
    public static let name = "automagik-telemetry-swift"
    /// `telemetry.sdk.version`; bumped with each release.
    public static let version = "0.1.0"
    /// `telemetry.sdk.language`, from OpenTelemetry's list of languages.
    public static let language = "swift"
    /// The instrumentation scope written into every export request.
    public static let scope = InstrumentationScope(name: name, version: version)
    /// The `User-Agent` header value sent by the HTTP exporters.
    public static let userAgent = "\(name)/\(version)"
}
