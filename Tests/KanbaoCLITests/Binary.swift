import Foundation
import KanbaoTestSupport
import XCTest

/// Runs the built `kanbao` binary, as a user would.
enum Binary {
    static var path: URL {
        // swift test puts the test bundle beside the products on Linux and macOS alike.
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL ?? Bundle.main.bundleURL
        let dir = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return dir.appendingPathComponent("kanbao")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ args: [String], executable: URL = path, cwd: URL? = nil, stdin: String? = nil,
        env: [String: String] = [:]
    ) throws -> Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        // Output goes to files, so a large output can never block the child on a full pipe.
        let dir = try temporaryDirectory()
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        try out.close()
        try err.close()
        defer { try? FileManager.default.removeItem(at: dir) }
        return Result(
            status: p.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs a shell pipeline with the binary's path in $KANBAO.
    static func shell(_ script: String) throws -> Result {
        try run(["-c", script], executable: URL(fileURLWithPath: "/bin/bash"), env: ["KANBAO": path.path])
    }
}
