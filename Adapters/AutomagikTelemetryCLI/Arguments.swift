import TelemetryCore

/// Minimal argument reader: positionals, `--flag value` / `--flag=value` options and `key=value` attributes.
struct Arguments {
    private(set) var positionals: [String] = []
    private(set) var options: [String: String] = [:]
    private(set) var attributes: TelemetryAttributes = [:]

    /// Options that take no value (each still has to be allowed by the command, `help` excepted).
    static let switches: Set<String> = ["help", "allow-v1"]

    /// - Parameter leadingPositionals: how many non-option arguments are positional even if they contain
    ///   `=` (a log message such as "ratio=3 reached"); later `key=value` arguments are attributes.
    init(_ arguments: [String], allowedOptions: Set<String>, leadingPositionals: Int = 0) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2))
                var value: String?
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                guard allowedOptions.contains(name) || name == "help" else {
                    throw UsageError("unknown option --\(name)")
                }
                if Self.switches.contains(name) {
                    options[name] = "true"
                    continue
                }
                if value == nil {
                    guard index < arguments.count else { throw UsageError("option --\(name) needs a value") }
                    value = arguments[index]
                    index += 1
                }
                options[name] = value
            } else if positionals.count >= leadingPositionals, let equals = argument.firstIndex(of: "="),
                equals != argument.startIndex
            {
                let key = String(argument[..<equals])
                let text = String(argument[argument.index(after: equals)...])
                let (name, value) = try Self.typedAttribute(key: key, text: text)
                attributes[name] = value
            } else {
                positionals.append(argument)
            }
        }
    }

    /// `key=value` infers the type; `key:int=5`, `key:double=1`, `key:bool=true`, `key:string=5` force it.
    static func typedAttribute(key: String, text: String) throws(UsageError) -> (String, AttributeValue) {
        let parts = key.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, !name.isEmpty else { throw UsageError("attribute \"\(key)=\(text)\" has no name") }
        guard parts.count == 2 else { return (name, AttributeValue(inferring: text)) }
        switch parts[1] {
        case "string", "str": return (name, .string(text))
        case "int":
            guard let value = Int64(text) else { throw UsageError("attribute \(name): \"\(text)\" is not an integer") }
            return (name, .int(value))
        case "double", "float":
            guard let value = Double(text), value.isFinite else {
                throw UsageError("attribute \(name): \"\(text)\" is not a finite number")
            }
            return (name, .double(value))
        case "bool":
            switch text.lowercased() {
            case "true": return (name, .bool(true))
            case "false": return (name, .bool(false))
            default: throw UsageError("attribute \(name): \"\(text)\" is not true or false")
            }
        default:
            throw UsageError("attribute \(name): unknown type \"\(parts[1])\" (use string, int, double or bool)")
        }
    }
}
