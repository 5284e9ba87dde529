/// Builds the `description` of a configuration value that holds credentials: every field is shown
/// except the values of the secret ones, so `print(configuration)` and string interpolation are safe
/// in logs and bug reports.
package enum RedactedDescription {
    /// What a secret value is shown as.
    package static let placeholder = "<redacted>"

    /// `TypeName(field: value, …)` from `value`'s fields (it must not be `CustomReflectable`, or this
    /// would recurse). For fields named in `secrets`: a dictionary keeps its keys (header names), an
    /// array of `HTTPHeader` its names, an empty or absent value shows as such, anything else becomes
    /// the placeholder. Other fields are described by their own `description`, so nested settings that
    /// redact themselves stay redacted.
    package static func describe(_ value: Any, secrets: Set<String>) -> String {
        let mirror = Mirror(reflecting: value)
        let fields = mirror.children.compactMap { child -> String? in
            guard var label = child.label else { return nil }
            // `_password: Secret<String>` is the storage behind the public `password`: shown by that name.
            if label.hasPrefix("_") { label.removeFirst() }
            let shown = secrets.contains(label) ? redacted(child.value) : String(describing: child.value)
            return "\(label): \(shown)"
        }
        return "\(mirror.subjectType)(\(fields.joined(separator: ", ")))"
    }

    /// How a secret `value` is shown: dictionary keys and header names kept, empty and absent values
    /// shown as such, everything else as the placeholder.
    package static func redacted(_ value: Any) -> String {
        switch value {
        case let secret as any SecretStorage:
            return secret.description
        case let dictionary as [String: String]:
            return "[" + dictionary.keys.sorted().map { "\($0): \(placeholder)" }.joined(separator: ", ") + "]"
        case let headers as [HTTPHeader]:
            return "[" + headers.map { "\($0.name): \(placeholder)" }.joined(separator: ", ") + "]"
        case let bySignal as [TelemetrySignal: [HTTPHeader]]:
            return perSignal(bySignal)
        case let bySignal as [TelemetrySignal: [String: String]]:
            return perSignal(bySignal)
        case let text as String:
            return text.isEmpty ? "\"\"" : placeholder
        case let text as String?:
            return text.map { $0.isEmpty ? "\"\"" : placeholder } ?? "nil"
        default:
            return placeholder
        }
    }

    private static func perSignal<Headers>(_ bySignal: [TelemetrySignal: Headers]) -> String {
        let entries = bySignal.sorted { $0.key.rawValue < $1.key.rawValue }
        return "[" + entries.map { "\($0.key.rawValue): \(redacted($0.value))" }.joined(separator: ", ") + "]"
    }
}

/// A value that already describes itself redacted (`Secret`).
package protocol SecretStorage: CustomStringConvertible {}
