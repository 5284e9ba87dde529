import TelemetryCore

/// When a batch of items should be sent: whichever of size, bytes or age is reached first.
package struct BatchPolicy: Sendable, Hashable {
    /// Send once this many items are pending.
    package var maxItems: Int
    /// Send once the pending items' estimated encoded size reaches this many bytes.
    package var maxBytes: Int
    /// Send once the oldest pending item has waited this long (the flush interval).
    package var maxAge: Duration

    /// Creates a policy; non-positive values are raised to the smallest meaningful value.
    package init(maxItems: Int, maxBytes: Int = 4 * 1024 * 1024, maxAge: Duration) {
        self.maxItems = max(1, maxItems)
        self.maxBytes = max(1, maxBytes)
        self.maxAge = maxAge > .zero ? maxAge : .milliseconds(1)
    }
}
