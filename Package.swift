// swift-tools-version:6.0
import PackageDescription

// Module layout and import direction: see README.md ("Architecture") and
// ../shared/design/house-style.md. Imports point down the list only:
// RollupNode -> Engine, L1Watcher, RPC, Signer -> Storage, JSON, HTTPClient -> Primitives -> C shims.
// Each C shim is imported (`internal import`) by exactly one Swift module: CSecp256k1 by
// Primitives, CRocksDB by Storage, CCurl by HTTPClient (the benchmarks also call libsecp256k1
// directly, to measure the wrapper against it).

let package = Package(
    name: "rollup-node",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rollup-node", targets: ["RollupNode"]),
        .executable(name: "rollup-bench", targets: ["Benchmarks"]),
        .executable(name: "fake-l1", targets: ["FakeL1Server"]),
        .executable(name: "rollup-load", targets: ["LoadGenerator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // SHA-256 and P-256 verification for the precompiles (BoringSSL's, with its assembly).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C shims over Debian's -dev packages (installed by scripts/setup.sh).
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1",
                       providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb",
                       providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        // zstd, for Scroll's L1 data fee (the compressed size of a transaction; Execution only).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),

        .target(name: "Primitives", dependencies: ["CSecp256k1"]),
        .target(name: "Storage", dependencies: ["Primitives", "CRocksDB"]),
        // JSON values, the strict parser and the writer: shared by RPC, L1Watcher and the load generator.
        .target(name: "JSON", dependencies: ["Primitives"]),
        // The HTTP client protocol and its libcurl implementation: the KMS signer and the L1 watcher.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // The EVM and the transaction rules: imports only Primitives (no storage, logger or clock)
        // and CZstd (Scroll's L1 fee needs the zstd-compressed size of each transaction), and
        // swift-crypto for the sha256 and P256VERIFY precompiles (hand-written ones were 6x and
        // 9x slower than revm's and OpenSSL's: BENCHMARKS.md, issue 14).
        .target(name: "Execution", dependencies: ["Primitives", "CZstd", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Signer", dependencies: [
            "Primitives", "HTTPClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Engine", dependencies: [
            "Primitives", "Storage", "Execution",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        .target(name: "L1Watcher", dependencies: [
            "Primitives", "Storage", "JSON", "HTTPClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "RPC", dependencies: [
            "Primitives", "JSON",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "RollupNode", dependencies: [
            "Primitives", "Storage", "JSON", "HTTPClient", "Signer", "Engine", "L1Watcher", "RPC", "Execution",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Benchmarks print figures; they are not run by the tests (see BENCHMARKS.md).
        .executableTarget(name: "Benchmarks", dependencies: [
            "Primitives", "Storage", "Execution", "CSecp256k1", "JSON", "HTTPClient", "Signer", "KMSTestServer", "RPC", "Engine", "L1Watcher", "FakeL1", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The end-to-end load generator (rollup-load): drives a real node over HTTP; not run by the tests.
        .executableTarget(name: "LoadGenerator", dependencies: ["Primitives", "JSON"]),

        // Shared fakes and fixture loading for every test target.
        .target(name: "TestSupport", dependencies: [
            "Primitives",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "PrimitivesTests", dependencies: ["Primitives", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "TestSupport"]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "TestSupport"],
                    exclude: ["Precompiles/make_precompile_vectors.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Storage", "TestSupport"]),
        // A local AWS-KMS-compatible server (SigV4-verifying) for tests and benchmarks only.
        // A small POSIX-socket HTTP/1.1 server for the fake KMS and the fake L1.
        .target(name: "LoopbackHTTP", path: "Tests/LoopbackHTTP"),
        .target(name: "KMSTestServer", dependencies: ["Primitives", "LoopbackHTTP"], path: "Tests/KMSTestServer"),
        .testTarget(name: "SignerTests", dependencies: [
            "Signer", "TestSupport", "KMSTestServer", "LoopbackHTTP",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport", "LoopbackHTTP"]),
        .testTarget(name: "RollupNodeTests", dependencies: ["RollupNode", "L1Watcher", "Primitives", "TestSupport"]),
        .testTarget(name: "RPCTests", dependencies: [
            "RPC", "JSON", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ],
                    resources: [.copy("Fixtures")]),
        // A fake L1 JSON-RPC node (blocks, finality tags, QueueTransaction logs, reorgs, faults)
        // for tests, benchmarks and the `fake-l1` developer executable.
        .target(name: "FakeL1", dependencies: ["Primitives", "LoopbackHTTP"], path: "Tests/FakeL1"),
        .executableTarget(name: "FakeL1Server", dependencies: ["FakeL1", "Primitives"]),
        .testTarget(name: "L1WatcherTests", dependencies: [
            "L1Watcher", "FakeL1", "JSON", "HTTPClient", "TestSupport", "Storage",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
