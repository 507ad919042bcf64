// swift-tools-version:6.0
// Kanbao: a query tool for Chinese local-news text.
// The targets follow the pipeline: pages → articles → store, query text → plans → rows → output.
import PackageDescription

let package = Package(
    name: "kanbao",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kanbao", targets: ["kanbao"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // Zstandard, for the store's cold text columns (the notes `why` shows, bylines).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // Columns, dictionaries and the keyword index: the in-memory store.
        .target(
            name: "KanbaoStore",
            dependencies: ["CZstd", "CKanbaoKernels"],
            exclude: ["Folding/SOURCE.md"],
            resources: [.embedInCode("Folding/traditional.tsv")]
        ),
        // Hints Swift cannot spell (a prefetch), as inline C.
        .target(name: "CKanbaoKernels"),
        // Text → pages → articles: decoding, segmentation and extraction.
        .target(
            name: "KanbaoIngest",
            dependencies: ["KanbaoStore"],
            exclude: ["Gazetteer/SOURCE.md"],
            resources: [.embedInCode("Gazetteer/zhengzhou.tsv")]
        ),
        // The bundled seed pages, compiled into the binary (seeds/ via a symlink).
        .target(name: "KanbaoSeeds", resources: [.embedInCode("seeds")]),
        // Rows → text: table, csv, tsv, json, jsonl, markdown; the export schema.
        .target(name: "KanbaoOutput", dependencies: ["KanbaoStore"]),
        // Query text → tokens → syntax tree → bound query → logical plan → physical plan → rows.
        .target(name: "KanbaoQuery", dependencies: ["KanbaoStore", "KanbaoIngest", "KanbaoOutput"]),
        // Property-based fuzzing of queries and page ingest (short runs in the tests, long
        // runs through the kanbao-fuzz executable).
        .target(name: "KanbaoFuzz", dependencies: ["KanbaoQuery", "KanbaoIngest", "KanbaoStore"]),
        .executableTarget(name: "kanbao-fuzz", dependencies: ["KanbaoFuzz", "KanbaoIngest", "KanbaoSeeds"]),
        // The same properties as a libFuzzer target (scripts/libfuzz.sh builds it with
        // -sanitize=fuzzer); built plainly, a tool that replays saved inputs.
        .target(name: "CKanbaoFuzz"),
        .executableTarget(
            name: "kanbao-libfuzz",
            dependencies: ["KanbaoFuzz", "KanbaoQuery", "KanbaoIngest", "KanbaoStore", "KanbaoSeeds", "CKanbaoFuzz"]),
        // libedit, found through pkg-config, and the C shims Swift needs to call it
        // (el_wset and history are variadic).
        .systemLibrary(
            name: "CLibedit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(name: "CKanbaoEdit", dependencies: ["CLibedit"]),
        // One stage of indexing timed in isolation on a snapshot's columns (bench/README.md).
        .executableTarget(name: "kanbao-bench", dependencies: ["KanbaoStore"], path: "bench/kanbao-bench"),
        .executableTarget(
            name: "kanbao",
            dependencies: [
                "KanbaoStore", "KanbaoIngest", "KanbaoSeeds", "KanbaoOutput", "KanbaoQuery", "CKanbaoEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers the test targets share (a temporary directory, a CSV reader).
        .target(name: "KanbaoTestSupport", path: "Tests/KanbaoTestSupport"),
        .testTarget(
            name: "KanbaoIngestTests",
            dependencies: [
                "KanbaoIngest", "KanbaoStore", "KanbaoSeeds", "KanbaoOutput", "KanbaoQuery", "KanbaoTestSupport",
            ],
            resources: [.copy("Golden"), .copy("Pages")]
        ),
        .testTarget(
            name: "KanbaoStoreTests",
            dependencies: [
                "KanbaoStore", "KanbaoIngest", "KanbaoSeeds", "KanbaoOutput", "KanbaoQuery", "KanbaoTestSupport",
            ]
        ),
        .testTarget(
            name: "KanbaoQueryTests",
            dependencies: ["KanbaoQuery", "KanbaoIngest", "KanbaoStore", "KanbaoSeeds", "KanbaoOutput", "KanbaoFuzz"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "KanbaoCLITests",
            dependencies: ["KanbaoSeeds", "KanbaoTestSupport"]
        ),
    ]
)
