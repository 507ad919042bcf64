// Queries through the binary: -c, -f, stdin, formats, exit statuses.
import Foundation
import KanbaoTestSupport
import XCTest

final class QueryCLITests: XCTestCase {
    func testPipedOutputDefaultsToTSVWithHeader() throws {
        let r = try Binary.run(["-c", "营商环境 | show id, title"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "id\ttitle\n0\t服务全程「保姆式」 项目跑出「加速度」\n2\t二七区全力优化营商环境\n3\t坚持常态化监督 抓好能力作风建设\n")
    }

    func testRepeatedDashC() throws {
        let r = try Binary.run(["-c", "营商环境 | count", "-c", "党建 | count", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "count\n3\ncount\n10\n")
    }

    func testErrorExitsOneWithDiagnosticOnStderr() throws {
        let r = try Binary.run(["-c", "distrct:中牟县"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(
            r.stderr, "-c:1:1: error: unknown field 'distrct'\n  distrct:中牟县\n  ^^^^^^^\n  did you mean 'district'?\n")
    }

    func testUsageErrorExitsTwo() throws {
        XCTAssertEqual(try Binary.run(["--format", "xml", "-c", "党建"]).status, 2)
        XCTAssertEqual(try Binary.run(["--no-such-flag"]).status, 2)
        let empty = try Binary.run(["-c", ""])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("empty query"))
    }

    func testScriptFileErrorsNameFileLineColumnAndBail() throws {
        let dir = try temporaryDirectory()
        let script = dir.appendingPathComponent("study.kbq")
        try """
        -- a study
        营商环境 | count
        党建 | srot date
        疫苗 | count
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try Binary.run(["-f", script.path, "--format", "csv"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("\(script.path):3:6: error: unknown stage 'srot'"), r.stderr)
        XCTAssertEqual(r.stdout, "count\n3\ncount\n2\n") // it ran on past the error
        let bail = try Binary.run(["-f", script.path, "--format", "csv", "--bail"])
        XCTAssertEqual(bail.status, 1)
        XCTAssertEqual(bail.stdout, "count\n3\n")
    }

    func testStdinScript() throws {
        let r = try Binary.run(["--format", "csv"], stdin: "let $防疫 = 疫苗 or 核酸 or 疫情\n$防疫 | count\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "count\n10\n")
    }

    func testCSVRoundTripsChineseCommasQuotesAndNewlines() throws {
        let r = try Binary.run(["-c", "| show id, title, body", "--format", "csv"])
        XCTAssertEqual(r.status, 0)
        let rows = parseCSV(r.stdout)
        XCTAssertEqual(rows.count, 29)
        let json = try Binary.run(["export", "articles"])
        let bodies = try json.stdout.split(separator: "\n").map {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["body"] as! String
        }
        XCTAssertEqual(rows.dropFirst().map { $0[2] }, bodies)
        XCTAssertTrue(bodies.contains { $0.contains("\n") && $0.contains("“") && $0.contains(",") })
    }

    func testJSONLLinesParse() throws {
        let r = try Binary.run(["-c", "figures | show article, raw, value, value_max", "--format", "jsonl"])
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 107)
        for l in lines { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(l.utf8))) }
    }

    func testHeadEndsQuietly() throws {
        let r = try Binary.shell("\"$KANBAO\" -c '| show *' | head -1; echo \"status=${PIPESTATUS[0]}\"")
        XCTAssertTrue(r.stdout.hasPrefix("id\tsource\ttitle"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("status=0\n"), r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testTimerPrintsRunTimeOnStderr() throws {
        let r = try Binary.run(["--format", "csv"], stdin: ".timer on\n营商环境 | count\n")
        XCTAssertEqual(r.stdout, "count\n3\n")
        XCTAssertNotNil(r.stderr.range(of: #"Run Time: \d+\.\d{3} ms"#, options: .regularExpression), r.stderr)
    }
}

final class ScriptNestingTests: XCTestCase {
    func testAScriptThatReadsItselfStopsWithAnError() throws {
        let dir = try temporaryDirectory()
        let script = dir.appendingPathComponent("loop.kbq")
        try ".read \(script.path)\n".write(to: script, atomically: true, encoding: .utf8)
        let r = try Binary.run(["-f", script.path, "--format", "csv"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("nested more than 16 deep"), r.stderr)
    }
}

/// Habits users bring from sqlite3, DuckDB and other command lines (issue #15).
final class CLIHabitTests: XCTestCase {
    /// Habits from other tools (issue #15): a -c query that starts with '-', and global
    /// options before the subcommand, as duckdb takes them.
    func testDashQueryAndOptionsBeforeTheSubcommand() throws {
        let r = try Binary.run(["-c", "-营商环境 | count", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "count\n25\n")
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds").path
        let e = try Binary.run(["--corpus", seeds, "export", "articles"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertEqual(e.stdout.split(separator: "\n").count, 28)
        let st = try Binary.run(["--corpus", seeds, "stats"])
        XCTAssertEqual(st.status, 0, st.stderr)
        XCTAssertTrue(st.stdout.contains("articles"), st.stdout)
    }

    /// sqlite3's habits: .mode alone says the mode, a mistyped mode is named with the one
    /// meant, .headers off and --no-header drop the header line, .tables lists the tables,
    /// .q leaves, --format line writes one field a line.
    func testSqliteHabits() throws {
        let r = try Binary.run([
            "-c", ".mode", "-c", ".mode jsn", "-c", ".headers off", "-c", "| count", "-c", ".tables",
            "-c", ".q", "-c", "| count", "--format", "csv",
        ])
        XCTAssertEqual(r.status, 1, r.stderr) // .mode jsn failed
        XCTAssertEqual(
            r.stdout,
            "csv\n28\narticles (one row per article)\nfigures (one row per figure, with its article's fields)\n"
                + "pages (one row per page file: source, published, banners, captions, articles)\n")
        XCTAssertTrue(r.stderr.contains("-c:1:1: error: unknown mode 'jsn' (did you mean 'json'?)"), r.stderr)
        let n = try Binary.run(["--no-header", "-c", "| count by year | limit 1", "--format", "tsv"])
        XCTAssertEqual(n.stdout, "2019\t5\n")
        let l = try Binary.run(["-c", "id:0 | show id, district", "--format", "line"])
        XCTAssertEqual(l.stdout, "      id = 0\ndistrict = 中牟县\n")
    }

    /// --init FILE runs first; --no-init skips it; a missing --init file is a usage error.
    func testInitFile() throws {
        let dir = try temporaryDirectory()
        let rc = dir.appendingPathComponent("start.kbq")
        try "let $防疫 = 疫苗 or 核酸\n".write(to: rc, atomically: true, encoding: .utf8)
        let r = try Binary.run(["--init", rc.path, "-c", "$防疫 | count"])
        XCTAssertEqual(r.stdout, "count\n4\n", r.stderr)
        let skipped = try Binary.run(["--init", rc.path, "--no-init", "-c", "$防疫 | count"])
        XCTAssertEqual(skipped.status, 1)
        XCTAssertTrue(skipped.stderr.contains("$防疫"), skipped.stderr)
        let missing = try Binary.run(["--init", "/nonexistent/rc", "-c", "| count"])
        XCTAssertEqual(missing.status, 2)
    }

    /// .read inside a script reads its neighbour and says script:line when it cannot;
    /// -f refuses a binary file; control characters in a statement are an error.
    func testScriptsReadTheirNeighboursAndRefuseBinaries() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "| count\n".write(to: dir.appendingPathComponent("sub/inner.kbq"), atomically: true, encoding: .utf8)
        let outer = dir.appendingPathComponent("outer.kbq")
        try ".read sub/inner.kbq\n.read missing.kbq\n".write(to: outer, atomically: true, encoding: .utf8)
        let r = try Binary.run(["-f", outer.path], cwd: URL(fileURLWithPath: "/"))
        XCTAssertEqual(r.stdout, "count\n28\n")
        XCTAssertTrue(
            r.stderr.contains("outer.kbq:2:1: error: cannot read \(dir.path)/missing.kbq: no such file"), r.stderr)
        let binary = dir.appendingPathComponent("b.kbq")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1]).write(to: binary)
        let b = try Binary.run(["-f", binary.path])
        XCTAssertEqual(b.status, 2)
        XCTAssertTrue(b.stderr.contains("binary file"), b.stderr)
        let c = try Binary.run(["-c", "a\u{01}b | count"])
        XCTAssertEqual(c.status, 1)
        XCTAssertTrue(c.stderr.contains("-c:1:2: error: control character U+0001 in the statement"), c.stderr)
    }

    /// What --corpus is given and what it says: a .csv is refused with what kanbao reads;
    /// other files in a folder are counted once (and listed by stats); a .jsonl with many
    /// bad lines gives one warning naming the first.
    func testCorpusMessages() throws {
        let dir = try temporaryDirectory()
        let csv = dir.appendingPathComponent("x.csv")
        try "a,b\n1,2\n".write(to: csv, atomically: true, encoding: .utf8)
        let c = try Binary.run(["--corpus", csv.path, "-c", "| count"])
        XCTAssertEqual(c.status, 2)
        XCTAssertTrue(c.stderr.contains("is not a page file: kanbao reads a folder of .txt pages"), c.stderr)
        let folder = dir.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "中牟县大孟镇\n\n本报讯 大孟镇招聘服务人员1321人。\n".write(
            to: folder.appendingPathComponent("p.txt"), atomically: true, encoding: .utf8)
        for name in ["notes.md", "img.png"] {
            try "x".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let f = try Binary.run(["--corpus", folder.path, "stats"])
        XCTAssertEqual(f.stderr, "kanbao: warning: 2 file(s) neither .txt nor .jsonl left alone: img.png, notes.md\n")
        XCTAssertTrue(f.stdout.contains("warnings\n  2 file(s) neither .txt nor .jsonl left alone"), f.stdout)
        let jsonl = dir.appendingPathComponent("a.jsonl")
        try ([#"{"title":"t","body":"b"}"#] + Array(repeating: "bad line", count: 100)).joined(separator: "\n")
            .write(to: jsonl, atomically: true, encoding: .utf8)
        let j = try Binary.run(["--corpus", jsonl.path, "-c", "| count"])
        XCTAssertEqual(j.stdout, "count\n1\n")
        XCTAssertTrue(
            j.stderr.contains("a.jsonl:2: 100 line(s) skipped, not a JSON object (lines 2, 3, 4, 5, 6 …)"), j.stderr)
        XCTAssertEqual(j.stderr.split(separator: "\n").count, 2, j.stderr) // that line and the skipped file
    }

    /// .once FILE: the next statement's output goes to the file, the one after to the screen.
    func testOnce() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("once.csv")
        let r = try Binary.run(["-c", ".once \(file.path)", "-c", "| count", "-c", "党建 | count", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "count\n10\n")
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "count\n28\n")
    }
}
