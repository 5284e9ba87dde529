// swift-tools-version:6.0
//
// Automagik Telemetry for Swift — a privacy-first, opt-in telemetry SDK.
//
// Read this file top to bottom to see the architecture:
//   Modules/   pure domain: values, ports, spans, metrics, logs, batching, privacy. No I/O.
//   Adapters/  implementations of the ports (clock, randomness, gzip, HTTP, files, OTLP, ...),
//              the `AutomagikTelemetry` façade that wires them, the test kit and the CLI.
import PackageDescription

let package = Package(
    name: "automagik-telemetry-swift",
    // The floor is set by `Duration` and `Clock`, which the public API uses (macOS 13, iOS 16); see README.
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9)],
    products: [
        // Pure domain modules.
        .library(name: "TelemetryCore", targets: ["TelemetryCore"]),
        .library(name: "TelemetrySpans", targets: ["TelemetrySpans"]),
        .library(name: "TelemetryMetrics", targets: ["TelemetryMetrics"]),
        .library(name: "TelemetryLogs", targets: ["TelemetryLogs"]),
        .library(name: "TelemetryBatching", targets: ["TelemetryBatching"]),
        .library(name: "TelemetryPrivacy", targets: ["TelemetryPrivacy"]),
        .library(name: "TelemetryPipeline", targets: ["TelemetryPipeline"]),
        // Adapters.
        .library(name: "TelemetryGzip", targets: ["TelemetryGzip"]),
        .library(name: "TelemetrySystem", targets: ["TelemetrySystem"]),
        .library(name: "TelemetryHTTP", targets: ["TelemetryHTTP"]),
        .library(name: "TelemetryOTLP", targets: ["TelemetryOTLP"]),
        .library(name: "TelemetryLocalExporters", targets: ["TelemetryLocalExporters"]),
        .library(name: "TelemetryClickHouse", targets: ["TelemetryClickHouse"]),
        // The front door, and in-memory adapters for tests.
        .library(name: "AutomagikTelemetry", targets: ["AutomagikTelemetry"]),
        .library(name: "AutomagikTelemetryTestKit", targets: ["AutomagikTelemetryTestKit"]),
        .library(name: "AutomagikTelemetryLifecycle", targets: ["AutomagikTelemetryLifecycle"]),
        .executable(name: "automagik-telemetry", targets: ["AutomagikTelemetryCLI"]),
        .executable(name: "automagik-telemetry-bench", targets: ["AutomagikTelemetryBench"]),
        .executable(name: "automagik-telemetry-callgrind", targets: ["AutomagikTelemetryCallgrind"]),
        .executable(name: "automagik-telemetry-inert-probe", targets: ["AutomagikTelemetryInertProbe"]),
    ],
    targets: [
        // MARK: Modules (pure)
        // C11 atomics (Synchronization.Atomic would set the Apple floor at iOS 18 / macOS 15).
        .target(name: "CAtomics", path: "Modules/CAtomics"),
        .target(name: "TelemetryCore", dependencies: ["CAtomics"], path: "Modules/TelemetryCore"),
        .target(name: "TelemetrySpans", dependencies: ["TelemetryCore"], path: "Modules/TelemetrySpans"),
        .target(name: "TelemetryMetrics", dependencies: ["TelemetryCore"], path: "Modules/TelemetryMetrics"),
        .target(name: "TelemetryLogs", dependencies: ["TelemetryCore"], path: "Modules/TelemetryLogs"),
        .target(name: "TelemetryBatching", dependencies: ["TelemetryCore"], path: "Modules/TelemetryBatching"),
        .target(name: "TelemetryPrivacy", dependencies: ["TelemetryCore"], path: "Modules/TelemetryPrivacy"),
        // The delivery engine: intake, conversion, batching, buffering, retries — driven by ports only.
        .target(
            name: "TelemetryPipeline",
            dependencies: [
                "TelemetryCore", "TelemetryBatching", "TelemetrySpans", "TelemetryMetrics", "TelemetryLogs", "TelemetryPrivacy",
            ],
            path: "Modules/TelemetryPipeline"
        ),

        // MARK: Adapters
        .systemLibrary(name: "CZlib", path: "Adapters/CZlib"),
        .target(name: "TelemetryGzip", dependencies: ["TelemetryCore", "CZlib"], path: "Adapters/TelemetryGzip"),
        .target(name: "TelemetrySystem", dependencies: ["TelemetryCore"], path: "Adapters/TelemetrySystem"),
        // libcurl (which FoundationNetworking loads on Linux anyway) is the Linux transport: see CurlHTTPClient.
        // Bound at run time (dlopen), so building needs no libcurl development headers.
        .target(
            name: "CCurl", path: "Adapters/CCurl",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]
        ),
        .target(
            name: "TelemetryHTTP",
            dependencies: ["TelemetryCore", .target(name: "CCurl", condition: .when(platforms: [.linux]))],
            path: "Adapters/TelemetryHTTP"
        ),
        .target(
            name: "TelemetryOTLP",
            dependencies: ["TelemetryCore", "TelemetryBatching"],
            path: "Adapters/TelemetryOTLP"
        ),
        .target(name: "TelemetryClickHouse", dependencies: ["TelemetryCore"], path: "Adapters/TelemetryClickHouse"),
        .target(
            name: "TelemetryLocalExporters",
            dependencies: ["TelemetryCore", "TelemetryOTLP"],
            path: "Adapters/TelemetryLocalExporters"
        ),
        .target(
            name: "AutomagikTelemetry",
            dependencies: [
                "TelemetryCore", "TelemetrySpans", "TelemetryMetrics", "TelemetryLogs", "TelemetryBatching",
                "TelemetryPrivacy", "TelemetryPipeline", "TelemetryGzip", "TelemetrySystem", "TelemetryHTTP", "TelemetryOTLP",
                "TelemetryLocalExporters", "TelemetryClickHouse",
            ],
            path: "Adapters/AutomagikTelemetry",
            // The App Store's privacy manifest for SDKs: what is collected (not linked, no tracking) and
            // why each required-reason API is called (README, "Apple platforms").
            resources: [.copy("PrivacyInfo.xcprivacy")]
        ),
        .target(
            name: "AutomagikTelemetryLifecycle",
            dependencies: ["AutomagikTelemetry", "TelemetryCore", "TelemetrySystem"],
            path: "Adapters/AutomagikTelemetryLifecycle"
        ),
        .target(
            name: "AutomagikTelemetryTestKit",
            dependencies: ["AutomagikTelemetry", "TelemetryCore"],
            path: "Adapters/AutomagikTelemetryTestKit"
        ),
        .executableTarget(
            name: "AutomagikTelemetryCLI",
            dependencies: [
                "AutomagikTelemetry", "TelemetryLocalExporters", "TelemetryOTLP", "TelemetryCore", "TelemetryClickHouse",
                "TelemetryHTTP", "TelemetryPrivacy", "TelemetryMetrics",
            ],
            path: "Adapters/AutomagikTelemetryCLI"
        ),

        // MARK: Benchmarks (`make bench`)
        .executableTarget(
            name: "AutomagikTelemetryBench",
            dependencies: [
                "AutomagikTelemetry", "AutomagikTelemetryTestKit", "TelemetryCore", "TelemetryGzip", "TelemetryOTLP",
                "TelemetryPrivacy", "TelemetrySystem", "TelemetryHTTP",
            ],
            path: "Benchmarks/AutomagikTelemetryBench"
        ),
        .executableTarget(
            name: "AutomagikTelemetryCallgrind",
            dependencies: ["AutomagikTelemetry", "AutomagikTelemetryTestKit", "TelemetryCore"],
            path: "Benchmarks/AutomagikTelemetryCallgrind"
        ),

        // The integration suite's "disabled means inert" probe, run as its own process.
        .executableTarget(
            name: "AutomagikTelemetryInertProbe",
            dependencies: ["AutomagikTelemetry", "TelemetryCore"],
            path: "IntegrationTests/InertProbe"
        ),

        // libFuzzer targets for every parser of outside bytes (`make fuzz`): built with -sanitize=fuzzer.
        .target(
            name: "AutomagikTelemetryFuzz",
            dependencies: [
                "AutomagikTelemetry", "TelemetryCore", "TelemetryBatching", "TelemetryClickHouse", "TelemetryOTLP", "TelemetryPrivacy",
                "TelemetrySystem",
            ],
            path: "Fuzz/AutomagikTelemetryFuzz"
        ),

        // MARK: Tests (one folder per module, mirroring the sources)
        .testTarget(name: "TelemetryCoreTests", dependencies: ["TelemetryCore"], path: "Tests/TelemetryCoreTests"),
        .testTarget(
            name: "AutomagikTelemetryLifecycleTests",
            dependencies: ["AutomagikTelemetryLifecycle", "AutomagikTelemetry", "AutomagikTelemetryTestKit", "TelemetryCore", "TelemetrySystem"],
            path: "Tests/AutomagikTelemetryLifecycleTests"
        ),
        .testTarget(
            name: "TelemetrySpansTests", dependencies: ["TelemetrySpans", "AutomagikTelemetryTestKit"],
            path: "Tests/TelemetrySpansTests"
        ),
        .testTarget(
            name: "TelemetryMetricsTests", dependencies: ["TelemetryMetrics"], path: "Tests/TelemetryMetricsTests"
        ),
        .testTarget(name: "TelemetryLogsTests", dependencies: ["TelemetryLogs"], path: "Tests/TelemetryLogsTests"),
        .testTarget(
            name: "TelemetryBatchingTests", dependencies: ["TelemetryBatching", "AutomagikTelemetryTestKit"],
            path: "Tests/TelemetryBatchingTests"
        ),
        .testTarget(
            name: "TelemetryPipelineTests",
            dependencies: ["TelemetryPipeline", "AutomagikTelemetryTestKit"],
            path: "Tests/TelemetryPipelineTests"
        ),
        .testTarget(
            name: "TelemetryPrivacyTests", dependencies: ["TelemetryPrivacy", "AutomagikTelemetryTestKit"],
            path: "Tests/TelemetryPrivacyTests"
        ),
        .testTarget(name: "TelemetryGzipTests", dependencies: ["TelemetryGzip", "CZlib"], path: "Tests/TelemetryGzipTests"),
        .testTarget(
            name: "TelemetrySystemTests", dependencies: ["TelemetrySystem"], path: "Tests/TelemetrySystemTests"
        ),
        .testTarget(
            name: "TelemetryHTTPTests", dependencies: ["TelemetryHTTP", "AutomagikTelemetryTestKit"],
            path: "Tests/TelemetryHTTPTests"
        ),
        .testTarget(
            name: "TelemetryOTLPTests",
            dependencies: ["TelemetryOTLP", "TelemetryGzip", "TelemetryHTTP", "AutomagikTelemetryTestKit"],
            path: "Tests/TelemetryOTLPTests"
        ),
        .testTarget(
            name: "TelemetryClickHouseTests",
            dependencies: ["TelemetryClickHouse", "AutomagikTelemetryTestKit", "TelemetryGzip", "TelemetryHTTP"],
            path: "Tests/TelemetryClickHouseTests"
        ),
        .testTarget(
            name: "TelemetryLocalExportersTests",
            dependencies: ["TelemetryLocalExporters", "AutomagikTelemetryTestKit"],
            path: "Tests/TelemetryLocalExportersTests"
        ),
        .testTarget(
            name: "AutomagikTelemetryTestKitTests",
            dependencies: ["AutomagikTelemetry", "AutomagikTelemetryTestKit", "TelemetryCore"],
            path: "Tests/AutomagikTelemetryTestKitTests"
        ),
        .testTarget(
            name: "AutomagikTelemetryTests",
            dependencies: [
                "AutomagikTelemetry", "AutomagikTelemetryTestKit", "TelemetryOTLP", "TelemetryGzip", "TelemetryPrivacy", "TelemetryMetrics",
                "TelemetryClickHouse", "TelemetryHTTP",
            ],
            path: "Tests/AutomagikTelemetryTests"
        ),
        .testTarget(
            name: "AutomagikTelemetryIntegrationTests",
            dependencies: [
                "AutomagikTelemetry", "AutomagikTelemetryTestKit", "TelemetryCore", "TelemetryGzip", "TelemetryHTTP",
                "TelemetryOTLP", "TelemetryClickHouse", "TelemetrySystem",
            ],
            path: "IntegrationTests/AutomagikTelemetryIntegrationTests"
        ),
        .testTarget(
            name: "AutomagikTelemetryCLITests",
            dependencies: ["AutomagikTelemetryCLI", "TelemetryCore", "TelemetryPrivacy"],
            path: "Tests/AutomagikTelemetryCLITests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The same strictness for every target, as swift-log does: `any` spelled out for existentials, and a
// module's members usable only where that module is imported (no leaking through transitive imports).
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
