import Foundation
import TelemetryCore

/// Where a resolved setting's value came from, as `TelemetryStatus` reports it.
public enum SettingSource: Sendable, Hashable, CustomStringConvertible {
    /// Set in the app's code.
    case code
    /// Set by this environment variable.
    case environment(String)
    /// Nobody set it: the default.
    case standard

    /// `code`, the variable's name, or `default`.
    public var description: String {
        switch self {
        case .code: "code"
        case .environment(let variable): variable
        case .standard: "default"
        }
    }
}

/// Reads and interprets environment variables, and keeps the record of what was decided. Empty values
/// count as unset. The environment belongs to the app's operator, not its author, so a bad value never
/// stops the app: it is recorded in `problems` (shown by `status` and printed once) and the code's
/// value or the default is used.
final class EnvironmentValues {
    let reader: any EnvironmentReader
    private(set) var problems: [String] = []
    /// Each setting's value as shown by `status` (secrets redacted) and its source, by setting name.
    private(set) var decisions: [String: (value: String, source: SettingSource)] = [:]

    init(reader: any EnvironmentReader) {
        self.reader = reader
    }

    func string(_ name: String) -> String? {
        guard let value = reader.value(for: name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// Records that `variable` was not used, and why.
    func reject(_ variable: String, _ problem: String) {
        problems.append("\(variable): \(problem)")
    }

    /// Records a note about how a variable was applied (not an error, but worth the operator's eye).
    func note(_ text: String) {
        problems.append(text)
    }

    /// Records the value `setting` ended up with, and where it came from.
    func decide(_ setting: SettingDescriptor, _ value: String, _ source: SettingSource) {
        decisions[setting.name] = (value, source)
    }

    // MARK: One variable

    /// `true/1/yes/on` → true, `false/0/no/off` → false, unset or anything else → nil (recorded).
    func bool(_ name: String) -> Bool? {
        guard let text = string(name) else { return nil }
        guard let value = Self.parseBool(text) else {
            reject(name, "expected true/false/1/0/yes/no/on/off, got \"\(text)\"; ignored")
            return nil
        }
        return value
    }

    /// A positive number of milliseconds (the OpenTelemetry convention), or nil (recorded when invalid).
    func milliseconds(_ name: String) -> Duration? { duration(name, unit: "milliseconds", nanosecondsPerUnit: 1e6) }

    /// A positive number of seconds, or nil (recorded when invalid).
    func seconds(_ name: String) -> Duration? { duration(name, unit: "seconds", nanosecondsPerUnit: 1e9) }

    private func duration(_ name: String, unit: String, nanosecondsPerUnit: Double) -> Duration? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            reject(name, "expected a positive number of \(unit), got \"\(text)\"; ignored")
            return nil
        }
        // Capped near 30 years so the conversion cannot overflow.
        return .nanoseconds(Int64(min(value * nanosecondsPerUnit, 1e18)))
    }

    /// An integer of at least `minimum`, or nil (recorded when invalid).
    func integer(_ name: String, minimum: Int) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), value >= minimum else {
            reject(name, "expected an integer ≥ \(minimum), got \"\(text)\"; ignored")
            return nil
        }
        return value
    }

    // MARK: A setting's variables, first valid one wins

    /// The first valid integer among `setting`'s variables, with the variable that gave it.
    func integer(_ setting: SettingDescriptor, minimum: Int) -> (Int, String)? {
        for variable in setting.variables {
            if let value = integer(variable.name, minimum: minimum) { return (value, variable.name) }
        }
        return nil
    }

    /// The first valid duration among `setting`'s variables, each read in its own unit.
    func duration(_ setting: SettingDescriptor) -> (Duration, String)? {
        for variable in setting.variables {
            let value = variable.format == .milliseconds ? milliseconds(variable.name) : seconds(variable.name)
            if let value { return (value, variable.name) }
        }
        return nil
    }

    /// The first valid boolean among `setting`'s variables.
    func bool(_ setting: SettingDescriptor) -> (Bool, String)? {
        for variable in setting.variables {
            if let value = bool(variable.name) { return (value, variable.name) }
        }
        return nil
    }

    /// The first non-empty text among `setting`'s variables.
    func text(_ setting: SettingDescriptor) -> (String, String)? {
        for variable in setting.variables {
            if let value = string(variable.name) { return (value, variable.name) }
        }
        return nil
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }
}
