// swift-tools-version:6.0
import PackageDescription

/// One set of settings for every target of the project, as in Hummingbird's Package.swift.
var swiftSettings: [SwiftSetting] = [
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    .enableUpcomingFeature("InternalImportsByDefault"),
]
// CI (`.ci/run`) treats the project's own warnings as errors; dependencies keep theirs as warnings.
/// The executables' link: no symbol exported for dynamic lookup. The Swift driver links an
/// executable with `-rdynamic` on Linux, and the runtime's start-up (the backtracer's
/// `swift_copyAuxiliaryExecutablePath`) calls `dladdr`, which scans the exported symbols one by
/// one: 47 k of them in the full executable. Without them a cold `bdscheck CODE` of the lean
/// executable took 6.7 ms instead of 7.7 ms (docs/PERFORMANCE.md, "The check path"); nothing
/// looks the symbols up (crash reports read the symbol table, which stays).
let executableLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))
]
/// The lean executable's release link: static, glibc and SQLite included (Debian's `libc.a` and
/// `libsqlite3.a`, from libc6-dev and libsqlite3-dev). Why: a cold `bdscheck CODE` was mostly the
/// dynamic loader's work on the position-independent binary (87 k relocations, and the symbol
/// lookups of libstdc++, which ICU inside Foundation needs) and the page faults it caused; linked
/// statically, the same check took 3.5 ms instead of 8.1 ms, against 2.4 ms for `sqlite3` with the
/// one SELECT in the same run (docs/PERFORMANCE.md, "The check path"). Only in release builds (what
/// `scripts/install.sh` installs): debug builds and tests keep the quicker dynamic link. The one
/// thing static glibc cannot do without its shared libraries at run time is look up a user by
/// name or id (NSS), which the check does not do: the home folder comes from `$HOME`.
let leanLinkerSettings: [LinkerSetting] =
    executableLinkerSettings + [
        .unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))
    ]
if Context.environment["BDSCHECK_WARNINGS_AS_ERRORS"] == "1" {
    swiftSettings.append(.unsafeFlags(["-warnings-as-errors"]))
}

let package = Package(
    name: "bdscheck",
    // Built and tested on Linux (Swift 6.3, Debian). The macOS floor is Hummingbird's and GRDB's;
    // nothing in CI runs there.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bdscheck", targets: ["bdscheck"]),
        // The plain check alone, installed as `bdscheck` with the full one beside it (scripts/install.sh).
        .executable(name: "bdscheck-lean", targets: ["bdscheck-lean"]),
        // For the benchmark package and other tools built on the store.
        .library(name: "BDSKit", targets: ["BDSCore", "BDSStore", "BDSImport", "BDSWire"]),
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
        // The message catalogues (Messages/*.json, one per language) are its resources.
        .target(name: "BDSCore", resources: [.copy("Language/Messages")], swiftSettings: swiftSettings),
        // The wire format: the JSON every answer is written in (CLI and HTTP), with its fast writer.
        .target(name: "BDSWire", dependencies: ["BDSCore"], swiftSettings: swiftSettings),
        // The SQLite store, its one owner: schema, migrations, the typed writer, build → check →
        // swap, diff, rollback, locating the store, and every read.
        .target(
            name: "BDSStore",
            dependencies: [
                "BDSCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                // Snapshot signatures (Ed25519) and hashes (SHA-256).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The system zlib, for reading .gz sources directly.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The system libxml2, for streaming XML sources through its xmlTextReader.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]
        ),
        // Importer definitions and streaming readers: source records mapped to the store's typed inputs.
        .target(
            name: "BDSImport",
            dependencies: [
                "BDSCore", "BDSStore", "CZlib", "CLibXML2",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API and the kiosk page.
        .target(
            name: "BDSServer",
            dependencies: [
                "BDSCore", "BDSStore", "BDSWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The plain check (`bdscheck CODE|NAME…`): its arguments, its run and its text, with no
        // argument-parsing library, so that both executables can run it.
        .target(name: "BDSCheckRun", dependencies: ["BDSCore", "BDSStore", "BDSWire"], swiftSettings: swiftSettings),
        // The command-line interface as a library, so the executable stays a thin entry point.
        .target(
            name: "BDSCommands",
            dependencies: [
                "BDSCore", "BDSStore", "BDSImport", "BDSServer", "BDSWire", "BDSCheckRun",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // The kiosk client and the snapshot download (`pull`, `serve --pull`).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The lean executable: the plain check, handing anything else to the full one.
        .executableTarget(
            name: "bdscheck-lean", dependencies: ["BDSCheckRun", "BDSCore", "BDSStore"], swiftSettings: swiftSettings,
            linkerSettings: leanLinkerSettings
        ),
        .executableTarget(
            name: "bdscheck",
            dependencies: [
                "BDSCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: executableLinkerSettings
        ),

        // The fixture project and the helpers every test target shares.
        .target(
            name: "BDSTestSupport",
            dependencies: [
                "BDSImport", "BDSStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/BDSTestSupport",
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BDSCoreTests", dependencies: ["BDSCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BDSWireTests",
            dependencies: [
                "BDSCore", "BDSWire", "BDSStore", "BDSTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BDSStoreTests",
            dependencies: [
                "BDSCore", "BDSStore", "BDSImport", "BDSTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BDSImportTests",
            dependencies: [
                "BDSCore", "BDSImport", "BDSStore", "BDSTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BDSServerTests",
            dependencies: [
                "BDSCore", "BDSStore", "BDSImport", "BDSServer", "BDSWire", "BDSTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The built executable end to end: checks, batches, refreshes, hostile inputs.
        .testTarget(
            name: "BDSCommandsTests",
            dependencies: [
                "BDSCore", "BDSStore", "BDSTestSupport",
                // The plain-check reader, held to ArgumentParser's reading of the same arguments.
                "BDSCommands", "BDSCheckRun",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The in-process file server the pull tests download from.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
