import TelemetryCore
import TelemetryPrivacy
import TelemetrySystem

/// Builds the resource sent with every request, and the `system.*` span attributes kept for parity.
enum ResourceBuilder {
    static func resource(
        configuration: ResolvedConfiguration, host: HostInfo, anonymousID: String, sessionID: String,
        sanitizer: PrivacySanitizer
    ) -> TelemetryResource {
        // Values the user supplied pass the privacy rules like any attribute; the SDK's own do not need to.
        var counts = RedactionCounts()
        func clean(_ text: String) -> String { sanitizer.sanitize(value: text, counts: &counts) }
        var resource = TelemetryResource([
            ("service.name", .string(configuration.serviceName)),
            ("service.version", .string(configuration.version)),
            ("service.organization", .string(configuration.organization)),
            // Current semantic conventions, next to the original SDKs' names.
            ("service.namespace", .string(configuration.organization)),
            ("service.instance.id", .string(sessionID)),
            ("project.name", .string(configuration.projectName)),
            ("project.version", .string(configuration.version)),
            ("telemetry.sdk.name", .string(SDKInfo.name)),
            ("telemetry.sdk.version", .string(SDKInfo.version)),
            ("telemetry.sdk.language", .string(SDKInfo.language)),
            ("os.type", .string(host.osType)),
            ("os.version", .string(host.osVersion)),
            ("host.arch", .string(host.architecture)),
            ("process.runtime.name", .string("swift")),
            ("process.runtime.version", .string(host.runtimeVersion)),
        ])
        // Apple platforms: the marketing OS name and the model identifier (`iPhone15,2`): shared by
        // millions of devices, and what crash and performance dashboards group by.
        if let name = host.osName { resource["os.name"] = .string(name) }
        if let model = host.deviceModelIdentifier { resource["device.model.identifier"] = .string(model) }
        if let environment = configuration.deploymentEnvironment {
            resource["deployment.environment"] = .string(clean(environment))
            resource["deployment.environment.name"] = resource["deployment.environment"]
        }
        resource["user.id"] = .string(anonymousID)
        resource["session.id"] = .string(sessionID)
        let extras = TelemetryAttributes(configuration.extraResourceAttributes.map { ($0.0, AttributeValue.string($0.1)) })
        for (key, value) in sanitizer.sanitize(extras, counts: &counts) where resource[key] == nil {
            resource[key] = value
        }
        return resource
    }

    static func systemSpanAttributes(host: HostInfo) -> TelemetryAttributes {
        [
            "system.os": .string(host.osType),
            "system.os_version": .string(host.osVersion),
            "system.runtime_version": .string(host.runtimeVersion),
            "system.architecture": .string(host.architecture),
            "system.is_docker": .bool(host.isContainer),
        ]
    }
}
