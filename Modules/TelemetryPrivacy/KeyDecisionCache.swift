@_spi(Internals) import TelemetryCore

/// Remembers what the sanitizer decided for each attribute key. Apps use a small, fixed set of keys,
/// so after the first event every key costs one dictionary lookup instead of tokenising and scanning.
/// Bounded by count and bytes: when it holds `capacity` keys it starts over, and keys longer than
/// `maxKeyBytes` are decided every time, never stored, so neither key churn nor a megabyte-long key
/// can grow memory (at most 2048 × 256 bytes of keys).
final class KeyDecisionCache: Sendable {
    struct Decision: Sendable {
        let verdict: KeyClassifier.Verdict
        /// The key after value rules (a key may itself contain an email); equal to the key when clean.
        let cleanKey: String
        /// Rules that fired while cleaning the key, counted again every time the key is used.
        let keyRules: [PrivacyRule]
    }

    private let entries = LockedBox<[String: Decision]>([:])
    private let capacity: Int
    static let maxKeyBytes = 256

    init(capacity: Int = 2048) {
        self.capacity = capacity
    }

    func decision(for key: String, compute: () -> Decision) -> Decision {
        guard key.utf8.count <= Self.maxKeyBytes else { return compute() }
        if let known = entries.withLock({ $0[key] }) { return known }
        let decision = compute()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = decision
        }
        return decision
    }
}
