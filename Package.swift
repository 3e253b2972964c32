// swift-tools-version:6.1
import PackageDescription

/// Settings every Ferry target shares: Swift 6 language mode is set package-wide; these add strictness.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Ferry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferry", targets: ["ferry"]),
        .library(name: "FerryCore", targets: ["FerryCore"]),
        .library(name: "FerryStore", targets: ["FerryStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .target(
            name: "FerryCore",
            dependencies: ["CLibDeflate", "CZlib"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryStore",
            dependencies: [
                "FerryCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(name: "CLibDeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(
            name: "CountingSink",
            dependencies: ["FerryCore"],
            path: "Plugins/CountingSink",
            swiftSettings: strictSettings
        ),
        .target(
            name: "Webhook",
            dependencies: ["FerryCore", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Plugins/Webhook",
            swiftSettings: strictSettings
        ),
        .target(
            name: "Exec",
            dependencies: ["FerryCore"],
            path: "Plugins/Exec",
            swiftSettings: strictSettings
        ),
        .target(
            name: "XMLFormat",
            dependencies: ["FerryCore", "CLibXML2"],
            path: "Plugins/XMLFormat",
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryStages",
            dependencies: ["FerryCore", "FerryStore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryJobs",
            dependencies: [
                "FerryCore", "FerryStore", "FerryStages",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryAPI",
            dependencies: [
                "FerryCore", "FerryStore", "FerryStages", "FerryJobs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Dashboard/Assets")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ferry",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                "FerryCore",
                "FerryStore",
                "FerryStages",
                "FerryJobs",
                "FerryAPI",
                "XMLFormat",
                "Exec",
                "CountingSink",
                "Webhook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryTestSupport",
            dependencies: ["FerryCore"],
            path: "Tests/FerryTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryCoreTests",
            dependencies: ["FerryCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CountingSinkTests",
            dependencies: ["FerryCore", "FerryStore", "FerryStages", "CountingSink"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebhookPluginTests",
            dependencies: ["FerryCore", "Webhook", "FerryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ExecPluginTests",
            dependencies: ["FerryCore", "Exec", "FerryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "XMLFormatTests",
            dependencies: ["FerryCore", "FerryStore", "FerryStages", "XMLFormat", "CLibXML2", "FerryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryStagesTests",
            dependencies: ["FerryCore", "FerryStore", "FerryStages", "CZlib", "FerryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryAPITests",
            dependencies: [
                "FerryTestSupport",
                "FerryCore", "FerryStore", "FerryStages", "FerryJobs", "FerryAPI", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            exclude: ["openapi_check.py", "metrics_parse.py"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryStoreTests",
            dependencies: [
                "FerryCore",
                "FerryStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
