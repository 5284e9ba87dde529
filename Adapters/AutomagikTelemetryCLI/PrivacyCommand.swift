import Foundation
import TelemetryCore
import TelemetryPrivacy

/// `privacy [FILE]`: the privacy engine over JSON lines, for checking what would leave the process
/// (and for `make privacy-eval`, which measures it against other detectors). Nothing is sent.
enum PrivacyCommand {
    static func run(_ arguments: [String], output: some CommandOutput) throws -> Int32 {
        let parsed = try Arguments(arguments, allowedOptions: [])
        guard parsed.positionals.count <= 1 else { throw UsageError("privacy takes at most one FILE") }
        let data: Data
        if let path = parsed.positionals.first {
            guard let contents = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read \(path)") }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        // A fixed salt: pseudonyms are stable between runs, and no installation's salt is read or made.
        let sanitizer = PrivacySanitizer(policy: .default, salt: Array("automagik-privacy-check".utf8))
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw UsageError("not a JSON object: \(String(decoding: line.prefix(80), as: UTF8.self))")
            }
            let key = object["key"] as? String ?? "value"
            let value: AttributeValue
            switch object["value"] {
            case is Bool:
                throw UsageError("\"value\" must be a string or a number")
            case let number as NSNumber:
                value = number.doubleValue == number.doubleValue.rounded() && abs(number.doubleValue) < 9.2e18
                    ? .int(number.int64Value) : .double(number.doubleValue)
            case let text as String:
                value = .string(text)
            default:
                throw UsageError("\"value\" must be a string or a number")
            }
            var counts = RedactionCounts()
            let cleaned = sanitizer.sanitize([key: value], counts: &counts)
            var kept: Any = NSNull()
            for (_, clean) in cleaned {
                switch clean {
                case .string(let text): kept = text
                case .int(let number): kept = number
                case .double(let number): kept = number
                default: kept = clean.displayString
                }
            }
            let rules = Dictionary(uniqueKeysWithValues: counts.counts.map { ($0.key.rawValue, $0.value) })
            let result = try JSONSerialization.data(withJSONObject: ["value": kept, "rules": rules], options: [.sortedKeys])
            output.print(String(decoding: result, as: UTF8.self))
        }
        return 0
    }
}
