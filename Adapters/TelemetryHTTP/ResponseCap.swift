/// The response-size cap both transports apply as body bytes arrive: how much of a chunk to keep and
/// whether the transfer must stop there. Saturating, because lengths come from the network.
package enum ResponseCap {
    /// How many bytes of a chunk of `chunkLength` bytes to keep when `kept` bytes are already held under
    /// a cap of `cap`, and whether the transfer must stop (the chunk did not fit).
    package static func room(kept: Int, chunkLength: Int, cap: Int) -> (keep: Int, stop: Bool) {
        let room = max(0, cap - max(0, kept))
        let keep = min(room, max(0, chunkLength))
        return (keep, chunkLength > room)
    }
}
