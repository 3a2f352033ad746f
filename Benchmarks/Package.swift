// swift-tools-version:6.0
// Benchmarks apart from the tests: `swift build -c release && .build/release/lookup-bench STORE`.
// Its own package (and its own .build), so timing code never enters the main package's targets.
import PackageDescription

let package = Package(
    name: "bdscheck-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "bdscheck", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "lookup-bench",
            dependencies: [
                .product(name: "BDSKit", package: "bdscheck"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
    ]
)
