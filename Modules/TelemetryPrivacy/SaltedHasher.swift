import TelemetryCore

/// Turns personal values into stable pseudonyms: HMAC-SHA256 keyed with a secret salt, cut to
/// 16 lowercase hex characters (64 bits).
///
/// The same value gives the same pseudonym under the same salt, so a user can be followed across
/// events without being identified; without the salt, the pseudonym cannot be brute-forced from a
/// list of likely emails or ids. 64 bits make accidental collisions negligible at telemetry scale
/// (about 3 in 100 million for a million distinct values) while keeping the output short.
///
/// The salt is per installation (random, stored in `~/.automagik/salt`, mode 0600) unless the
/// configuration supplies one, which a fleet can share so its pseudonyms correlate.
package struct SaltedHasher: Sendable, Hashable {
    /// Hex characters kept from the MAC.
    package static let pseudonymLength = 16

    private let salt: [UInt8]

    /// Creates a hasher keyed with `salt`. An empty salt gives plain (unkeyed) HMAC, which is
    /// reversible for guessable values: always pass a real secret in production.
    package init(salt: [UInt8]) {
        self.salt = salt
    }

    /// The pseudonym of `value`.
    package func pseudonym(_ value: some StringProtocol) -> String {
        pseudonym(bytes: Array(value.utf8))
    }

    /// The pseudonym of raw bytes.
    package func pseudonym(bytes: [UInt8]) -> String {
        String(HexEncoding.hex(HMACSHA256.authenticate(bytes, key: salt).prefix(Self.pseudonymLength / 2)))
    }
}
