/// Port: the small pieces of state the SDK keeps between runs (consent, opt-out marker, anonymous id,
/// hashing salt). Adapter: `FileStateStore` (TelemetrySystem) under the user's home directory;
/// tests use `InMemoryStateStore` (test kit), which also proves that nothing is written while disabled.
///
/// Contract: `read` never throws (missing or unreadable → nil); `write` creates what it needs with
/// owner-only permissions and replaces the value atomically.
public protocol TelemetryStateStore: Sendable {
    /// The stored value of `item`, trimmed of surrounding whitespace, or nil.
    func read(_ item: StoredItem) -> String?

    /// Stores `value` for `item`.
    func write(_ item: StoredItem, value: String) throws

    /// Deletes `item`; succeeds when it does not exist.
    func remove(_ item: StoredItem) throws
}

/// The items a `TelemetryStateStore` holds, with the paths the file adapter uses (parity with the
/// Python and TypeScript SDKs).
public enum StoredItem: String, Sendable, Hashable, CaseIterable {
    /// `~/.automagik-no-telemetry`: its mere existence opts this machine's user out.
    case optOutMarker
    /// `~/.automagik/telemetry_preference`: `true` or `false`, the saved consent answer.
    case consent
    /// `~/.automagik/user_id`: random anonymous installation id (UUID v4).
    case anonymousID
    /// `~/.automagik/salt`: per-installation secret for salted hashes of personal data.
    case hashSalt
}
