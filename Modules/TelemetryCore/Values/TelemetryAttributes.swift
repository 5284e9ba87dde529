/// Attributes attached to an event, metric, log record or error: unique keys → values, in the order
/// they were written.
///
/// Written as a dictionary literal (`["feature": "export_csv", "rows": 12]`), but stored as a small
/// array of pairs: building one on the app's thread costs a single allocation and no hashing — the
/// SDK's work happens later, on its own thread. Lookups are linear, which beats hashing at the sizes
/// telemetry uses (a handful of keys). Equality and hashing ignore order.
public struct TelemetryAttributes: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    /// A key and its value.
    public typealias Element = (String, AttributeValue)

    @usableFromInline var pairs: [Element]

    /// No attributes.
    @inlinable
    public init() { pairs = [] }

    /// Attributes from a literal; a key written twice keeps its last value, in its first position.
    /// The literal's own array becomes the storage: one allocation, no hashing, no copy.
    @inlinable
    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        pairs = elements
        if elements.count > 1 && Self.hasDuplicateKeys(elements) {
            pairs = Self.deduplicated(elements)
        }
    }

    /// Pairwise for small literals (no allocation); through a hash set beyond 16 keys (linear time).
    @inlinable
    static func hasDuplicateKeys(_ elements: [Element]) -> Bool {
        if elements.count > 16 { return largeHasDuplicateKeys(elements) }
        for index in 1..<elements.count {
            for earlier in 0..<index where elements[earlier].0 == elements[index].0 { return true }
        }
        return false
    }

    @usableFromInline
    static func largeHasDuplicateKeys(_ elements: [Element]) -> Bool {
        var seen = Set<String>(minimumCapacity: elements.count)
        for (key, _) in elements where !seen.insert(key).inserted { return true }
        return false
    }

    /// Last value wins, in the first occurrence's position.
    @usableFromInline
    static func deduplicated(_ elements: [Element]) -> [Element] {
        var result: [Element] = []
        var positions: [String: Int] = [:]
        for (key, value) in elements {
            if let index = positions[key] {
                result[index].1 = value
            } else {
                positions[key] = result.count
                result.append((key, value))
            }
        }
        return result
    }

    /// Attributes from a dictionary (order: the dictionary's).
    public init(_ dictionary: [String: AttributeValue]) {
        pairs = dictionary.map { ($0.key, $0.value) }
    }

    /// Attributes from pairs; later duplicates replace earlier values (in the first one's position).
    /// Linear time: large inputs are de-duplicated through a hash table, not pairwise.
    public init(_ elements: some Sequence<(String, AttributeValue)>) {
        pairs = Self.deduplicated(Array(elements))
    }

    /// Attributes from pairs already known to hold each key once (decoded from a copy of attributes
    /// that were de-duplicated when built): no check, no copy.
    package init(uniquePairs: [Element]) {
        pairs = uniquePairs
    }

    /// The value for `key`; assigning nil removes the key, assigning a value adds or replaces it.
    @inlinable
    public subscript(key: String) -> AttributeValue? {
        get {
            for pair in pairs where pair.0 == key { return pair.1 }
            return nil
        }
        set {
            if let index = pairs.firstIndex(where: { $0.0 == key }) {
                if let newValue { pairs[index].1 = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    /// Number of attributes.
    @inlinable public var count: Int { pairs.count }
    /// Whether there are none.
    @inlinable public var isEmpty: Bool { pairs.isEmpty }
    /// The keys, in order.
    public var keys: [String] { pairs.map(\.0) }
    /// The attributes as a dictionary.
    public var dictionary: [String: AttributeValue] {
        Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }

    /// The attributes as key-value pairs, in their stored order.
    @inlinable
    public func makeIterator() -> IndexingIterator<[Element]> { pairs.makeIterator() }

    /// Calls `body` with the stored pairs in place (no iterator, no copies): for the intake's copy on
    /// the caller's thread, where the iterator's retains and releases showed in callgrind.
    @inlinable
    package func withPairs<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try pairs.withUnsafeBufferPointer(body)
    }

    /// Adds the attributes of `other` whose keys are not here yet: the values already here win. Keys
    /// match as everywhere in this type, by `String` equality (canonical equivalence).
    ///
    /// For the engine, which adds the same few system attributes to every span: between ASCII keys a
    /// different UTF-8 length proves inequality, an integer comparison that settles almost every pair
    /// (through `merge`, the string comparisons took 7 % of the engine's time in `make bench`'s
    /// end-to-end profile). Other keys are compared as strings: "é" precomposed and decomposed, or the
    /// Kelvin sign and "K", are equal with different lengths.
    package mutating func addMissing(_ other: TelemetryAttributes) {
        guard !pairs.isEmpty else {
            pairs = other.pairs
            return
        }
        let existing = pairs.count
        let existingASCII = pairs.allSatisfy { Self.isASCII($0.0) }
        pairs.reserveCapacity(existing + other.pairs.count)
        // `other` holds each key once, so only the pairs that were here before need checking.
        outer: for pair in other.pairs {
            let length = pair.0.utf8.count
            let lengthDecides = existingASCII && Self.isASCII(pair.0)
            for index in 0..<existing where (!lengthDecides || pairs[index].0.utf8.count == length) && pairs[index].0 == pair.0 {
                continue outer
            }
            pairs.append(pair)
        }
    }

    /// Over the contiguous bytes: walking `utf8` index by index made this check most of
    /// `addMissing`'s cost, the engine's largest single symbol (7.5 % in `perf` on `make bench`'s
    /// default burst).
    private static func isASCII(_ key: String) -> Bool {
        if let ascii = key.utf8.withContiguousStorageIfAvailable({ bytes in bytes.allSatisfy { $0 < 0x80 } }) {
            return ascii
        }
        return key.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Adds `other`'s attributes; for keys present in both, `combine(current, new)` decides.
    public mutating func merge(_ other: TelemetryAttributes, uniquingKeysWith combine: (AttributeValue, AttributeValue) -> AttributeValue) {
        for (key, value) in other {
            if let current = self[key] { self[key] = combine(current, value) } else { pairs.append((key, value)) }
        }
    }

    /// The same keys with the same values, whatever the order.
    public static func == (lhs: TelemetryAttributes, rhs: TelemetryAttributes) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        for (key, value) in lhs.pairs where rhs[key] != value { return false }
        return true
    }

    /// Order-independent, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        // Order-insensitive: a commutative sum of per-pair hashes.
        var sum = 0
        for (key, value) in pairs {
            var pairHasher = Hasher()
            pairHasher.combine(key)
            pairHasher.combine(value)
            sum &+= pairHasher.finalize()
        }
        hasher.combine(pairs.count)
        hasher.combine(sum)
    }
}

extension TelemetryAttributes: CustomStringConvertible {
    /// `[key: value, …]` in order.
    public var description: String {
        "[" + pairs.map { "\($0.0): \($0.1.displayString)" }.joined(separator: ", ") + "]"
    }
}
