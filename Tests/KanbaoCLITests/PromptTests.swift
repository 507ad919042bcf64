// The prompt, driven through a real pseudo-terminal.
import Foundation
import KanbaoSeeds
import KanbaoTestSupport
import XCTest

final class PromptTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = try temporaryDirectory()
    }

    func start(_ args: [String] = []) throws -> PseudoTerminal {
        let pty = try PseudoTerminal(
            args, environment: ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        XCTAssertNotNil(pty.expect("Type .help for help", timeout: 60), "no banner: \(pty.output)")
        XCTAssertNotNil(pty.expect("kanbao> "))
        return pty
    }

    func testChineseQueryGivesATableAndCtrlDExitsZero() throws {
        let pty = try start()
        pty.type("营商环境\r")
        let out = pty.expect("kanbao> ")
        XCTAssertNotNil(out)
        XCTAssertTrue(out?.contains(" id | date | district | title") ?? false, pty.output)
        XCTAssertTrue(out?.contains("  2 | 2022 | 二七区   | 二七区全力优化营商环境") ?? false, pty.output)
        XCTAssertTrue(out?.contains("(3 rows, ") ?? false, pty.output)
        pty.type("\u{04}")
        XCTAssertEqual(pty.waitForExit(), 0)
    }

    /// `.output FILE` at a colour terminal: the file gets plain text, no escape codes
    /// (it used to get the terminal's colours).
    func testOutputFileHasNoColourCodes() throws {
        let pty = try start()
        let file = home.appendingPathComponent("out.txt").path
        pty.type(".output \(file)\r")
        XCTAssertNotNil(pty.expect("kanbao> "))
        pty.type("| count by district | limit 2\r")
        XCTAssertNotNil(pty.expect("kanbao> "))
        pty.type(".output\r")
        XCTAssertNotNil(pty.expect("kanbao> "))
        pty.type("\u{04}")
        XCTAssertEqual(pty.waitForExit(), 0)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(text.contains(" district "), text)
        XCTAssertFalse(text.contains("\u{1b}["), text.debugDescription)
    }

    /// ~/.kanbaorc runs before the prompt: a named filter defined there is there to use.
    func testStartUpFileRunsBeforeThePrompt() throws {
        try "let $营商 = 营商环境\n".write(to: home.appendingPathComponent(".kanbaorc"), atomically: true, encoding: .utf8)
        let pty = try start()
        pty.type("$营商 | count\r")
        let out = pty.expect("kanbao> ")
        XCTAssertTrue(out?.contains("     3") ?? false, pty.output)
        pty.type("\u{04}")
        XCTAssertEqual(pty.waitForExit(), 0)
    }

    /// Ctrl-C during a long .load stops it; the corpus loaded before stays.
    func testCtrlCCancelsALoad() throws {
        let folder = home.appendingPathComponent("many")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for copy in 0..<400 {
            for page in Seeds.pages {
                try Data(page.bytes).write(to: folder.appendingPathComponent("\(copy)-\(page.name)"))
            }
        }
        let pty = try start()
        pty.type(".load \(folder.path)\r")
        Thread.sleep(forTimeInterval: 0.8)
        pty.type("\u{03}")
        XCTAssertNotNil(pty.expect(".load cancelled", timeout: 20), pty.output)
        XCTAssertNotNil(pty.expect("kanbao> "))
        pty.type("| count\r")
        let out = pty.expect("kanbao> ")
        XCTAssertTrue(out?.contains("    28") ?? false, pty.output) // still the seeds
        pty.type("\u{04}")
        XCTAssertEqual(pty.waitForExit(), 0)
    }

    func testTabCompletesFieldsAndDistricts() throws {
        let pty = try start()
        pty.type("dist\t")
        XCTAssertNotNil(pty.expect("rict"), "dist did not complete: \(pty.output)")
        pty.type(":中牟\t")
        XCTAssertNotNil(pty.expect("县"), "中牟 did not complete: \(pty.output)")
        pty.type("| count\r")
        // The line ran as district:中牟县 | count: four articles.
        let out = pty.expect("kanbao> ")
        XCTAssertTrue(out?.contains("     4\r\n") ?? false, pty.output)
        pty.type("\u{04}")
        XCTAssertEqual(pty.waitForExit(), 0)
    }

    func testCtrlCClearsTheLineAndCancelsALongQuery() throws {
        // A corpus large enough for a query that runs for seconds.
        let corpus = try temporaryDirectory()
        let seeds = Fixture.seedsFolder
        for i in 0..<150 {
            for name in try FileManager.default.contentsOfDirectory(atPath: seeds.path) where name.hasSuffix(".txt") {
                try FileManager.default.copyItem(
                    at: seeds.appendingPathComponent(name), to: corpus.appendingPathComponent("c\(i)_\(name)"))
            }
        }
        let pty = try start(["--corpus", corpus.path])
        // The load takes seconds here: a progress bar showed on the terminal meanwhile.
        XCTAssertTrue(pty.output.contains("loading ") && pty.output.contains(" files ["), pty.output)
        // Ctrl-C on a half-typed line clears it and keeps the session.
        pty.type("营商环境 abc")
        XCTAssertNotNil(pty.expect("abc"))
        pty.type("\u{03}")
        XCTAssertNotNil(pty.expect("kanbao> "), pty.output)
        // Ctrl-C during a long query returns to the prompt quickly.
        pty.type("| kwic 的 width 200 | sort left | limit 1\r")
        usleep(1_000_000)
        let t0 = Date()
        pty.send("\u{03}")
        XCTAssertNotNil(pty.expect("cancelled", timeout: 5), pty.output)
        let elapsed = Date().timeIntervalSince(t0)
        // A debug build; see the README for release figures.
        XCTAssertLessThan(elapsed, 1.0, "cancellation took \(elapsed) s")
        XCTAssertNotNil(pty.expect("kanbao> "))
        pty.type("营商环境 | count\r")
        XCTAssertNotNil(pty.expect("   450\r\n"), pty.output)
        pty.type("\u{04}")
        XCTAssertEqual(pty.waitForExit(), 0)
    }

    func testHistorySurvivesARestartAndIsPrivate() throws {
        let first = try start()
        first.type("党建 |\r")
        XCTAssertNotNil(first.expect("...> "))
        first.type("count\r")
        XCTAssertNotNil(first.expect("kanbao> "))
        first.type("\u{04}")
        XCTAssertEqual(first.waitForExit(), 0)

        let file = home.appendingPathComponent(".kanbao_history")
        let attrs = try FileManager.default.attributesOfItem(atPath: file.path)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        let second = try start()
        second.type("\u{1b}[A") // Up: the multi-line statement comes back as one entry
        XCTAssertNotNil(second.expect("党建 | count"), second.output)
        second.type("\r")
        XCTAssertNotNil(second.expect("    10\r\n"), second.output)
        second.type(".history\r")
        XCTAssertNotNil(second.expect("1  党建 | count"), second.output)
        second.type("\u{04}")
        XCTAssertEqual(second.waitForExit(), 0)
    }
}

enum Fixture {
    static let seedsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds")
}

final class TerminalMannersTests: XCTestCase {
    func testNoColorAndNoBannerWhenPiped() throws {
        let r = try Binary.run(["--format", "table"], stdin: "营商环境 | count\n")
        XCTAssertFalse(r.stdout.contains("\u{1b}["), "no colour when not a terminal")
        XCTAssertFalse(r.stdout.contains("Kanbao 0.1.0"), "no banner when input is piped")
        XCTAssertFalse(r.stdout.contains("kanbao>"), "no prompt when input is piped")
        let home = try temporaryDirectory()
        let pty = try PseudoTerminal(
            [], environment: ["HOME": home.path, "TERM": "xterm", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"])
        XCTAssertNotNil(pty.expect("kanbao> ", timeout: 60))
        pty.type("营商环境\r")
        XCTAssertNotNil(pty.expect("kanbao> "))
        XCTAssertFalse(pty.output.contains("\u{1b}[1m"), pty.output)
        pty.type("\u{04}")
        XCTAssertEqual(pty.waitForExit(), 0)
    }

    func testOutputRefusesASymlink() throws {
        let dir = try temporaryDirectory()
        let target = dir.appendingPathComponent("target.txt")
        try Data("keep".utf8).write(to: target)
        let link = dir.appendingPathComponent("out.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let r = try Binary.run(["--format", "csv"], stdin: ".output \(link.path)\n营商环境 | count\n")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("symbolic link"), r.stderr)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "keep")
        let plain = dir.appendingPathComponent("plain.csv")
        let ok = try Binary.run(
            ["--format", "csv"], stdin: ".output \(plain.path)\n营商环境 | count\n.output\n党建 | count\n")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(try String(contentsOf: plain, encoding: .utf8), "count\n3\n")
        XCTAssertEqual(ok.stdout, "count\n10\n")
    }
}
