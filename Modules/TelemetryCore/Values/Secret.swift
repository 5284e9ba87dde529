/// Storage for a credential (a password, header values, a signing key, a salt) inside a settings type:
/// its `description`, `debugDescription` and mirror never show the value, so `print`, `dump`, string
/// interpolation and debuggers' summaries of the settings are safe in logs and bug reports. Header
/// dictionaries and lists keep their names.
///
/// Settings types keep their public `String` / dictionary properties as computed ones over a private
/// `_name: Secret<…>` stored property, so their API does not change and reflection meets only this type.
package struct Secret<Value: Sendable & Hashable>: Sendable, Hashable, SecretStorage, CustomDebugStringConvertible, CustomReflectable {
    /// The credential itself.
    package var value: Value

    /// Wraps `value`.
    package init(_ value: Value) {
        self.value = value
    }

    /// `<redacted>` (header names kept; an empty or absent value shown as such).
    package var description: String { RedactedDescription.redacted(value) }

    /// Same as `description`.
    package var debugDescription: String { description }

    /// No children: `dump` and debuggers show `description` only.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
