/// The entity producing telemetry (service, SDK, host facts), sent once per export request.
///
/// Attributes keep insertion order so encoded payloads are stable and diff-friendly; setting a key
/// twice keeps the first position and the last value.
public struct TelemetryResource: Sendable, Hashable {
    /// Ordered `(key, value)` pairs, keys unique.
    public private(set) var attributes: [(key: String, value: AttributeValue)]

    /// An empty resource.
    public init() { attributes = [] }

    /// A resource with `attributes`, in order; later duplicates replace earlier values.
    public init(_ attributes: [(String, AttributeValue)]) {
        self.attributes = []
        for (key, value) in attributes { self[key] = value }
    }

    /// Reads or writes one attribute; assigning nil removes it.
    public subscript(key: String) -> AttributeValue? {
        get { attributes.first(where: { $0.key == key })?.value }
        set {
            if let index = attributes.firstIndex(where: { $0.key == key }) {
                if let newValue { attributes[index].value = newValue } else { attributes.remove(at: index) }
            } else if let newValue {
                attributes.append((key, newValue))
            }
        }
    }

    /// The same attributes with the same values, whatever the order.
    public static func == (lhs: TelemetryResource, rhs: TelemetryResource) -> Bool {
        lhs.attributes.count == rhs.attributes.count
            && zip(lhs.attributes, rhs.attributes).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Order-independent, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        for (key, value) in attributes {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

/// The library that produced the telemetry (OTLP's `InstrumentationScope`): this SDK's name and version.
public struct InstrumentationScope: Sendable, Hashable {
    /// Scope name, e.g. `automagik-telemetry-swift`.
    public var name: String
    /// Scope version, e.g. `0.1.0`.
    public var version: String

    /// Creates a scope.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}
