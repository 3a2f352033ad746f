// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bdscheck",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bdscheck", targets: ["bdscheck"]),
        // For the benchmark package and other tools built on the store.
        .library(name: "BDSKit", targets: ["BDSCore", "BDSStore", "BDSImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: barcodes, names, the model and the verdict rules. No I/O libraries.
        .target(name: "BDSCore"),
        // The SQLite store: schema, migrations, queries, lookups.
        .target(
            name: "BDSStore",
            dependencies: [
                "BDSCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The system zlib, for reading .gz sources directly.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The system libxml2, for streaming XML sources through its xmlTextReader.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]
        ),
        // Importer definitions, streaming readers and the store builder.
        .target(
            name: "BDSImport",
            dependencies: [
                "BDSCore", "BDSStore", "CZlib", "CLibXML2",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The HTTP API and the kiosk page.
        .target(
            name: "BDSServer",
            dependencies: [
                "BDSCore", "BDSStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")]
        ),
        // The command-line interface as a library, so the executable stays a thin entry point.
        .target(
            name: "BDSCommands",
            dependencies: [
                "BDSCore", "BDSStore", "BDSImport", "BDSServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "bdscheck",
            dependencies: ["BDSCommands", .product(name: "Logging", package: "swift-log")]
        ),

        .testTarget(name: "BDSCoreTests", dependencies: ["BDSCore"]),
        .testTarget(
            name: "BDSImportTests",
            dependencies: [
                "BDSCore", "BDSImport", "BDSStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "BDSServerTests",
            dependencies: [
                "BDSCore", "BDSStore", "BDSImport", "BDSServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        // Store, verdicts and the built executable end to end, on a fixture project and on the shipped data.
        .testTarget(
            name: "BDSCheckTests",
            dependencies: [
                "BDSCore", "BDSStore", "BDSImport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ]
)
