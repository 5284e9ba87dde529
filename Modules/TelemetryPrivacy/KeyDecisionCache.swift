import TelemetryCore

/// Remembers what the sanitizer decided for each attribute key. Apps use a small, fixed set of keys,
/// so after the first event every key costs one dictionary lookup instead of tokenising and scanning.
/// Bounded: when it holds `capacity` keys it starts over, so hostile key churn cannot grow memory.
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

    init(capacity: Int = 2048) {
        self.capacity = capacity
    }

    func decision(for key: String, compute: () -> Decision) -> Decision {
        if let known = entries.withLock({ $0[key] }) { return known }
        let decision = compute()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = decision
        }
        return decision
    }
}
