/// Splits attribute keys into lower-case word tokens: on `.`, `_`, `-`, spaces and camelCase
/// boundaries, so `apiKey`, `api_key`, `API-KEY` and `http.api.key` all read as `api key`.
enum KeyTokens {
    static func split(_ key: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        var previousWasLower = false
        func flush() {
            if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: "/"), UInt8(ascii: ":"):
                flush()
                previousWasLower = false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if previousWasLower { flush() }
                current.append(byte + 32)
                previousWasLower = false
            default:
                current.append(byte)
                previousWasLower = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            }
        }
        flush()
        return tokens
    }
}
