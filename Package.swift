// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CityCarbon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "citycarbon", targets: ["citycarbon"]),
        .library(name: "CarbonKit", targets: ["CarbonKit"]),
        .library(name: "CarbonAccounting", targets: ["CarbonAccounting"]),
        .library(name: "ClimatePlans", targets: ["ClimatePlans"]),
        .library(name: "CarbonPathways", targets: ["CarbonPathways"]),
        .library(name: "CarbonMonitoring", targets: ["CarbonMonitoring"]),
        .library(name: "CityProgramme", targets: ["CityProgramme"]),
        .library(name: "CarbonMarkets", targets: ["CarbonMarkets"]),
        .library(name: "CarbonInclusion", targets: ["CarbonInclusion"]),
        .library(name: "AirQuality", targets: ["AirQuality"]),
        .library(name: "CityCarbonStore", targets: ["CityCarbonStore"]),
        .library(name: "CityCarbonPages", targets: ["CityCarbonPages"]),
        .library(name: "CityCarbonServer", targets: ["CityCarbonServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .target(
            name: "CarbonKit",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "CarbonAccounting",
            dependencies: [
                "CarbonKit",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(name: "ClimatePlans", dependencies: ["CarbonKit"]),
        // Key emitters' carbon accounts: allocation, grades, compliance, the allowance registry (pure).
        .target(
            name: "CarbonMarkets",
            dependencies: ["CarbonKit"],
            resources: [.copy("Resources")]
        ),
        // Residents' carbon inclusion: methodologies, fraud screen, points ledger, redemption, lots (pure).
        .target(
            name: "CarbonInclusion",
            dependencies: ["CarbonKit", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")]
        ),
        // Air quality: index standards by date, sensor QA/QC and correction, collocation, health impact (pure).
        .target(name: "AirQuality", dependencies: ["CarbonKit"], resources: [.copy("Resources")]),
        // Rules that join domains: every public figure defined once, statistics roll-ups.
        .target(name: "CityProgramme", dependencies: ["CarbonKit", "CarbonAccounting", "ClimatePlans", "CarbonPathways", "CarbonMonitoring",
                                                  "CarbonMarkets", "CarbonInclusion", "AirQuality"]),
        .target(
            name: "CarbonPathways",
            dependencies: ["CarbonKit"],
            // The Monte Carlo kernel runs ten thousand projections: optimised in debug builds too,
            // so pages, tests and `swift run` answer in milliseconds rather than seconds.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(
            name: "CarbonMonitoring",
            dependencies: ["CarbonKit"],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "CityCarbonStore",
            dependencies: [
                "AirQuality",
                "CarbonKit",
                "CarbonInclusion",
                "CarbonAccounting",
                "ClimatePlans",
                "CarbonPathways",
                "CarbonMonitoring",
                "CityProgramme",
                "CarbonMarkets",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // Pages and documents rendered from data — localized text, charts, the yearly report —
        // without HTTP: the server serves them, the CLI writes them to files.
        .target(
            name: "CityCarbonPages",
            dependencies: ["CarbonKit", "CarbonAccounting", "CarbonMonitoring", "ClimatePlans", "CarbonPathways", "CityProgramme", "CityCarbonStore"],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "CityCarbonServer",
            dependencies: [
                "AirQuality",
                "CarbonMarkets",
                "CarbonInclusion",
                "CarbonKit",
                "CarbonAccounting",
                "ClimatePlans",
                "CarbonPathways",
                "CarbonMonitoring",
                "CityProgramme",
                "CityCarbonStore",
                "CityCarbonPages",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "citycarbon",
            dependencies: [
                "AirQuality",
                "CarbonKit",
                "CarbonInclusion",
                "CarbonAccounting",
                "ClimatePlans",
                "CarbonPathways",
                "CarbonMonitoring",
                "CityProgramme",
                "CarbonMarkets",
                "CityCarbonStore",
                "CityCarbonPages",
                // Only for `citycarbon serve`.
                "CityCarbonServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "CarbonKitTests", dependencies: ["CarbonKit"]),
        .testTarget(name: "CarbonAccountingTests", dependencies: ["CarbonAccounting"]),
        .testTarget(name: "ClimatePlansTests", dependencies: ["ClimatePlans"]),
        .testTarget(name: "CarbonMarketsTests", dependencies: ["CarbonMarkets"]),
        .testTarget(name: "CarbonInclusionTests", dependencies: ["CarbonInclusion"]),
        .testTarget(name: "AirQualityTests", dependencies: ["AirQuality"]),
        .testTarget(name: "CarbonPathwaysTests", dependencies: ["CarbonPathways"]),
        .testTarget(name: "CarbonMonitoringTests", dependencies: ["CarbonMonitoring"]),
        .testTarget(name: "CityProgrammeTests", dependencies: ["CityProgramme", "CarbonKit", "CarbonAccounting", "CarbonMarkets", "CarbonPathways",
                                                            "ClimatePlans", "AirQuality"]),
        .testTarget(name: "CityCarbonStoreTests", dependencies: ["CityCarbonStore", "CarbonInclusion", "CarbonMarkets", "CarbonPathways", "CarbonMonitoring", "CityProgramme", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CityCarbonServerTests", dependencies: [
            "CityCarbonServer",
            "CarbonInclusion",
            "CityCarbonPages",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "CityCarbonCLITests", dependencies: ["citycarbon", "CityCarbonStore", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
