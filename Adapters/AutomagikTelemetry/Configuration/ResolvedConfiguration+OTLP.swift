#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TelemetryCore
import TelemetryHTTP
import TelemetryOTLP

extension ResolvedConfiguration {
    /// The OTLP backend's settings, decided.
    struct OTLPResolution {
        var traces: String
        var metrics: String
        var logs: String
        var encoding: OTLPHTTPExporter.Encoding
        var headers: [String: String]
        var signalHeaders: [TelemetrySignal: [String: String]]
        var tlsFiles: TLSFiles
    }

    /// Code wins over environment, per setting; the environment wins over the defaults. An endpoint
    /// from the environment is the operator's deliberate choice, so plain http to any host is accepted
    /// there. The environment's headers and TLS files belong to the environment's endpoints.
    static func resolveOTLP(_ code: OTLPSettings, allowInsecureHTTP: Bool, _ env: EnvironmentValues) throws(ConfigurationError) -> OTLPResolution {
        typealias Catalog = SettingsCatalog
        let (encoding, grpc) = self.encoding(code.encoding, env)

        let base: String
        let baseSource: SettingSource
        if let endpoint = code.endpoint {
            try EndpointValidator.validate(endpoint, setting: Catalog.otlpEndpoint.name, allowInsecureHTTP: allowInsecureHTTP)
            (base, baseSource) = (endpoint, .code)
        } else if let (url, variable) = EndpointValidator.firstFromEnvironment(
            Catalog.otlpEndpoint.variables.map(\.name), env: env, grpc: grpc
        ) {
            (base, baseSource) = (url, .environment(variable))
        } else {
            (base, baseSource) = (defaultEndpoint, .standard)
        }
        env.decide(Catalog.otlpEndpoint, base, baseSource)
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        var sources: [TelemetrySignal: SettingSource] = [:]
        func endpoint(_ signal: TelemetrySignal, _ code: String?, _ setting: SettingDescriptor) throws(ConfigurationError) -> String {
            let (url, source) = try signalEndpoint(
                code: code, setting: setting, base: trimmedBase, baseSource: baseSource, path: "/v1/\(signal.rawValue)",
                env: env, grpc: grpc, allowInsecureHTTP: allowInsecureHTTP
            )
            sources[signal] = source
            env.decide(setting, url, source)
            return url
        }
        let traces = try endpoint(.traces, code.tracesEndpoint, Catalog.tracesEndpoint)
        let metrics = try endpoint(.metrics, code.metricsEndpoint, Catalog.metricsEndpoint)
        let logs = try endpoint(.logs, code.logsEndpoint, Catalog.logsEndpoint)

        for (name, value) in code.headers where !isValidHeader(name: name, value: value) {
            throw ConfigurationError(
                setting: Catalog.headers.name,
                problem: "header \"\(name)\" has an invalid name or value, or is one the transport sets (Host, Content-Length, …)")
        }
        // Environment headers belong to environment endpoints: an operator's collector token must never
        // travel to a host the app's code chose. The code's headers win over them by name.
        let general = environmentHeaders("OTEL_EXPORTER_OTLP_HEADERS", env: env)
        var bySignal: [TelemetrySignal: [String: String]] = [:]
        for signal in TelemetrySignal.allCases {
            let variable = "OTEL_EXPORTER_OTLP_\(signal.rawValue.uppercased())_HEADERS"
            var headers = general.merging(environmentHeaders(variable, env: env)) { _, specific in specific }
            for name in code.headers.keys { headers = headers.filter { $0.key.lowercased() != name.lowercased() } }
            guard !headers.isEmpty else { continue }
            if sources[signal] == .code {
                env.note("environment headers are not sent to \(signal.rawValue): the app's code chose that endpoint")
            } else {
                bySignal[signal] = headers
            }
        }
        let names = Set(code.headers.keys).union(bySignal.values.flatMap(\.keys)).sorted()
        env.decide(
            Catalog.headers, names.isEmpty ? "none" : names.joined(separator: ", ") + " (values hidden)",
            code.headers.isEmpty ? (bySignal.isEmpty ? .standard : .environment("OTEL_EXPORTER_OTLP_*HEADERS")) : .code
        )
        let tlsFiles = environmentTLSFiles(env, codeChoseAnEndpoint: sources.values.contains(.code))
        let files = [tlsFiles.caCertificate, tlsFiles.clientCertificate, tlsFiles.clientKey].compactMap { $0 }
        env.decide(
            Catalog.tlsFiles, files.isEmpty ? "system trust" : files.joined(separator: ", "),
            files.isEmpty ? .standard : .environment("OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY")
        )
        return OTLPResolution(
            traces: traces, metrics: metrics, logs: logs, encoding: encoding, headers: code.headers, signalHeaders: bySignal,
            tlsFiles: tlsFiles
        )
    }

    /// The encoding, and whether the operator asked for gRPC (answered with http/protobuf).
    private static func encoding(_ code: OTLPHTTPExporter.Encoding?, _ env: EnvironmentValues) -> (OTLPHTTPExporter.Encoding, grpc: Bool) {
        let setting = SettingsCatalog.encoding
        if let code {
            env.decide(setting, code.rawValue, .code)
            return (code, false)
        }
        var grpc = false
        let generalVariable = setting.variables[0].name
        let general = env.string(generalVariable).flatMap { environmentProtocol($0, variable: generalVariable, env: env, grpc: &grpc) }
        var chosen = general ?? .protobuf
        var source: SettingSource = general == nil ? .standard : .environment(generalVariable)
        for variable in setting.variables.dropFirst().map(\.name) {
            guard let text = env.string(variable), let parsed = environmentProtocol(text, variable: variable, env: env, grpc: &grpc)
            else { continue }
            if general == nil && source == .standard {
                (chosen, source) = (parsed, .environment(variable))
            } else if parsed != chosen {
                env.reject(variable, "one encoding serves all signals; using \(chosen.rawValue)")
            }
        }
        env.decide(setting, chosen.rawValue, source)
        return (chosen, grpc)
    }

    private static func signalEndpoint(
        code: String?, setting: SettingDescriptor, base: String, baseSource: SettingSource, path: String,
        env: EnvironmentValues, grpc: Bool, allowInsecureHTTP: Bool
    ) throws(ConfigurationError) -> (String, SettingSource) {
        if let code {
            try EndpointValidator.validate(code, setting: setting.name, allowInsecureHTTP: allowInsecureHTTP)
            return (code, .code)
        }
        let variables = setting.variables.map(\.name)
        if baseSource == .code {
            for variable in variables where env.string(variable) != nil {
                env.reject(variable, "ignored: the app's code sets the endpoint")
            }
            return (base + path, .code)
        }
        if let (url, variable) = EndpointValidator.firstFromEnvironment(variables, env: env, grpc: grpc) {
            return (url, .environment(variable))
        }
        return (base + path, baseSource)
    }

    /// `http/protobuf`, `http/json`; `grpc` is answered with http/protobuf (gRPC needs HTTP/2 trailers,
    /// which neither URLSession nor a dependency-free client offers) and recorded.
    private static func environmentProtocol(
        _ text: String, variable: String, env: EnvironmentValues, grpc: inout Bool
    ) -> OTLPHTTPExporter.Encoding? {
        if let parsed = OTLPHTTPExporter.Encoding(rawValue: text.lowercased()) { return parsed }
        if text.lowercased() == "grpc" {
            grpc = true
            env.reject(variable, "gRPC is not supported; sending http/protobuf instead (to port 4318 where the endpoint names gRPC's 4317)")
            return .protobuf
        }
        env.reject(variable, "expected http/protobuf or http/json, got \"\(text)\"; using http/protobuf")
        return nil
    }

    /// The operator's TLS files: each must be a readable file; they belong to the operator's collector,
    /// so they are not used when the app's code chose an endpoint.
    private static func environmentTLSFiles(_ env: EnvironmentValues, codeChoseAnEndpoint: Bool) -> TLSFiles {
        let variables = SettingsCatalog.tlsFiles.variables.map(\.name)
        func file(_ suffix: String) -> String? {
            // The general variable first, then the per-signal ones: exactly one of the catalog's groups.
            let group = variables.filter { $0.hasSuffix("_" + suffix) && !(suffix == "CERTIFICATE" && $0.hasSuffix("CLIENT_CERTIFICATE")) }
            for variable in group {
                guard let path = env.string(variable) else { continue }
                guard access(path, R_OK) == 0 else {
                    env.reject(variable, "\(path) is not a readable file; ignored")
                    continue
                }
                return path
            }
            return nil
        }
        let files = TLSFiles(caCertificate: file("CERTIFICATE"), clientCertificate: file("CLIENT_CERTIFICATE"), clientKey: file("CLIENT_KEY"))
        guard !files.isEmpty else { return files }
        if codeChoseAnEndpoint {
            env.note("OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY ignored: the app's code chose the endpoint")
            return TLSFiles()
        }
        if !DefaultHTTPClient.supportsTLSFiles {
            env.note("OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY are not supported by this platform's transport; the system's trust applies")
        }
        return files
    }

    /// Valid `name=value` pairs of a headers variable; invalid ones are recorded and skipped.
    private static func environmentHeaders(_ variable: String, env: EnvironmentValues) -> [String: String] {
        guard let text = env.string(variable) else { return [:] }
        var headers: [String: String] = [:]
        for (name, value) in parseKeyValueList(text) {
            if isValidHeader(name: name, value: value) {
                headers[name] = value
            } else {
                env.reject(variable, "header \"\(name)\" has an invalid name or value, or is one the transport sets; not sent")
            }
        }
        return headers
    }

    /// Header names are tokens and not ones the transport or the exporter sets (framing, hop-by-hop,
    /// content type and encoding); values must not contain line breaks (header injection).
    static func isValidHeader(name: String, value: String) -> Bool {
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return !name.isEmpty && name.unicodeScalars.allSatisfy(token.contains) && HTTPHeader.isAllowedFromConfiguration(name)
            // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
            && !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" })
    }
}
