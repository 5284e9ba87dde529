import Testing
import TelemetryCore
import TelemetryMetrics
import TelemetrySpans
@testable import TelemetryPipeline

/// Every item must come out of a slab exactly as it went in, whichever way it is stored.
@Suite struct IntakeRecordTests {
    private static let time = Timestamp(nanosecondsSinceEpoch: 1_764_000_000_123_456_789)

    private struct Boom: Error, CustomStringConvertible {
        var description: String { "boom" }
    }

    /// Writes `items` into one slab the way the queue does and reads them back.
    private func roundTrip(_ items: [IntakeItem]) -> (out: [IntakeItem], charges: [Int], slab: IntakeSlab) {
        let slab = IntakeSlab()
        var charges: [Int] = []
        for item in items {
            let size = IntakeRecord.compactSize(of: item)
            let charge = IntakeRecord.charge(for: item, compactSize: size)
            charges.append(charge)
            slab.append(item, compactSize: size, charge: charge)
        }
        #expect(slab.charged == charges.reduce(0, +))
        var out: [IntakeItem] = []
        var taken: [Int] = []
        while let (item, charge) = slab.takeOldest() {
            if let item { out.append(item) }
            taken.append(charge)
        }
        #expect(taken == charges, "each record is refunded exactly what it was charged")
        #expect(slab.charged == 0 && slab.isEmpty)
        return (out, charges, slab)
    }

    /// A description of an item that compares everything, including values `IntakeItem` cannot compare.
    private func describe(_ item: IntakeItem) -> String {
        switch item {
        case .event(let name, let attributes, let time, let duration):
            "event \(name) \(attributes.sortedDescription) \(time.nanosecondsSinceEpoch) \(duration.components)"
        case .error(let failure, let attributes, let time):
            "error \(failure) \(attributes.sortedDescription) \(time.nanosecondsSinceEpoch)"
        case .thrown(let error, let stack, let attributes, let time):
            "thrown \(error) \(stack ?? "-") \(attributes.sortedDescription) \(time.nanosecondsSinceEpoch)"
        case .metric(let name, let kind, let unit, let value, let attributes, let time):
            "metric \(name) \(kind) \(unit) \(value.bitPattern) \(attributes.sortedDescription) \(time.nanosecondsSinceEpoch)"
        case .log(let message, let severity, let attributes, let time):
            "log \(message) \(severity) \(attributes.sortedDescription) \(time.nanosecondsSinceEpoch)"
        }
    }

    @Test func everyKindOfItemComesBackIdentical() {
        let long = String(repeating: "ü", count: 300)  // 600 bytes: the five-byte length form
        let attributes: TelemetryAttributes = [
            "s": "text", "empty": "", "i": .int(Int64.min), "d": .double(-0.0), "nan": .double(.nan), "b": .bool(true),
            "long": .string(long), "emoji": "👩‍💻 ok",
        ]
        var items: [IntakeItem] = [
            .event(name: "checkout.done", attributes: attributes, time: Self.time, duration: .milliseconds(1234)),
            .event(name: "", attributes: [:], time: .epoch, duration: .zero),
            .event(name: "odd", attributes: [:], time: Self.time, duration: Duration(secondsComponent: -3, attosecondsComponent: -7)),
            .event(name: "eons", attributes: [:], time: Self.time, duration: .seconds(Int64.max)),
            .error(ErrorDescription(type: "ImportError", message: long, stackTrace: "a\nb"), attributes: attributes, time: Self.time),
            .error(ErrorDescription(type: "E", message: "m"), attributes: [:], time: Self.time),
            .log(message: "cache warmed", severity: .warn, attributes: ["n": .int(3)], time: Self.time),
        ]
        for kind in InstrumentKind.allCases {
            items.append(.metric(name: "m.\(kind)", kind: kind, unit: "ms", value: 2.5, attributes: ["k": "v"], time: Self.time))
        }
        for severity in Severity.allCases {
            items.append(.log(message: "s", severity: severity, attributes: [:], time: Self.time))
        }
        let (out, _, _) = roundTrip(items)
        #expect(out.map(describe) == items.map(describe))
        #expect(items.allSatisfy { IntakeRecord.compactSize(of: $0) != nil }, "all of these are copied, none kept as values")
    }

    @Test func whatIsNotCopiedIsKeptAsTheValueItIs() {
        let many = TelemetryAttributes((0..<65).map { ("k\($0)", AttributeValue.int(Int64($0))) })
        let huge = String(repeating: "x", count: IntakeRecord.maxBytes)
        let items: [IntakeItem] = [
            .thrown(Boom(), stackTrace: "trace", attributes: ["a": "b"], time: Self.time),
            .event(name: "arrays", attributes: ["list": .array([.int(1), .array([.string("nested")])])], time: Self.time, duration: .zero),
            .event(name: "many", attributes: many, time: Self.time, duration: .zero),
            .log(message: huge, severity: .info, attributes: [:], time: Self.time),
        ]
        for item in items { #expect(IntakeRecord.compactSize(of: item) == nil) }
        let (out, charges, _) = roundTrip(items)
        #expect(out.map(describe) == items.map(describe))
        for (item, charge) in zip(items, charges) {
            #expect(charge == IntakeRecord.objectBytes + item.estimatedBytes)
        }
    }

    @Test func aTypicalEventTakesAThirdOfWhatItsValuesDid() throws {
        let event = IntakeItem.event(
            name: "bench.feature_used", attributes: ["feature": "export_csv", "category": "api", "count": .int(7), "success": .bool(true)],
            time: Self.time, duration: .zero
        )
        let size = IntakeRecord.compactSize(of: event)
        #expect(size == 108)
        #expect(try #require(size) * 3 < event.estimatedBytes)
    }

    @Test func evictingSkipsRecordsAndReleasesTheValuesTheyHeld() {
        let slab = IntakeSlab()
        let items: [IntakeItem] = [
            .thrown(Boom(), stackTrace: nil, attributes: [:], time: Self.time),
            .event(name: "kept", attributes: ["i": .int(1)], time: Self.time, duration: .zero),
        ]
        for item in items {
            let size = IntakeRecord.compactSize(of: item)
            slab.append(item, compactSize: size, charge: IntakeRecord.charge(for: item, compactSize: size))
        }
        let evicted = slab.evictOldest()
        #expect(evicted?.object != nil, "the thrown error is handed back, to be released outside the lock")
        #expect(slab.objects.allSatisfy { $0 == nil }, "the slab no longer holds it")
        let next = slab.takeOldest()
        #expect(next.map { describe($0.item!) } == describe(items[1]))
        #expect(slab.takeOldest() == nil && slab.used == 0, "an emptied slab starts over")
    }

    @Test func aSlabIsReusedAfterReset() {
        let slab = IntakeSlab()
        let item = IntakeItem.log(message: "first", severity: .info, attributes: [:], time: Self.time)
        let size = IntakeRecord.compactSize(of: item)
        while slab.room >= size! {
            slab.append(item, compactSize: size, charge: size!)
        }
        #expect(slab.count == IntakeSlab.capacity / size!)
        slab.reset()
        #expect(slab.used == 0 && slab.count == 0 && slab.charged == 0)
        let (out, _, _) = roundTrip([item])
        #expect(out.map(describe) == [describe(item)])
    }
}

extension TelemetryAttributes {
    fileprivate var sortedDescription: String {
        sorted { $0.0 < $1.0 }.map { "\($0.0)=\(String(reflecting: $0.1))" }.joined(separator: ",")
    }
}
