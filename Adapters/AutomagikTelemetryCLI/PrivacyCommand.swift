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
            guard let input = try? JSONDecoder().decode(Line.self, from: Data(line)) else {
                throw UsageError("expected {\"key\": K, \"value\": string or number}: \(String(decoding: line.prefix(80), as: UTF8.self))")
            }
            let key = input.key ?? "value"
            let value = input.value.attribute
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

    private struct Line: Decodable {
        let key: String?
        let value: Value
    }

    /// A JSON number (integer when it is one) or string; booleans and the rest are refused.
    private enum Value: Decodable {
        case integer(Int64)
        case number(Double)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let integer = try? container.decode(Int64.self) {
                self = .integer(integer)
            } else {
                self = .number(try container.decode(Double.self))
            }
        }

        var attribute: AttributeValue {
            switch self {
            case .integer(let value): .int(value)
            case .number(let value): .double(value)
            case .text(let value): .string(value)
            }
        }
    }
}
