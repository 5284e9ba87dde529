// swift-tools-version:6.0
// An app outside this repository, as a user writes one: it depends on the SDK's products by path and
// sees only what a plain `import` shows. `consumer_check.sh` builds and runs `Consumer` (it must work
// with `import AutomagikTelemetry` alone) and builds `ReachesForInternals` (it must not compile).
import PackageDescription

let package = Package(
    name: "consumer",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9)],
    dependencies: [.package(name: "automagik-telemetry-swift", path: "../..")],
    targets: [
        .executableTarget(
            name: "Consumer",
            dependencies: [
                .product(name: "AutomagikTelemetry", package: "automagik-telemetry-swift"),
                .product(name: "AutomagikTelemetryTestKit", package: "automagik-telemetry-swift"),
            ],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility"), .enableUpcomingFeature("ExistentialAny")]
        ),
        .target(
            name: "ReachesForInternals",
            dependencies: [.product(name: "AutomagikTelemetry", package: "automagik-telemetry-swift")],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
    ]
)
