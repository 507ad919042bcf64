// The binary end to end: embedded seeds from any folder, export, stats, pipes.
import Foundation
import KanbaoTestSupport
import XCTest

final class IngestCLITests: XCTestCase {
    func testSeedsAreEmbeddedAndTheBinaryWorksWhenCopiedElsewhere() throws {
        let dir = try temporaryDirectory()
        let copy = dir.appendingPathComponent("kanbao")
        try FileManager.default.copyItem(at: Binary.path, to: copy)
        let r = try Binary.run(["export", "articles", "--format", "jsonl"], executable: copy, cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 28)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        XCTAssertEqual(first["district"] as? String, "中牟县")
        XCTAssertEqual(first["id"] as? Int, 0)
    }

    func testStatsBalances() throws {
        let r = try Binary.run(["stats"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("ok (read = placed + dropped)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("articles                            28"), r.stdout)
    }

    func testExportFiguresCSV() throws {
        let r = try Binary.run(["export", "figures", "--format", "csv"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("article,raw,value,value_max,unit,approx,context,offset\n"))
        XCTAssertTrue(r.stdout.contains("1000余万元,10000000,,元,over,累计投入1000余万元,"))
    }

    func testCorpusFolderWithABrokenFile() throws {
        let dir = try temporaryDirectory()
        try Data("中牟县大孟镇\n\n本报讯 近日,大孟镇招聘服务人员1321人。\n".utf8).write(to: dir.appendingPathComponent("p-2022-04-10.txt"))
        try Data([0, 1, 2, 3, 0, 0]).write(to: dir.appendingPathComponent("junk.txt"))
        let r = try Binary.run(["export", "articles", "--corpus", dir.path])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("junk.txt: skipped: not a text file"), r.stderr)
        // 近日 may reach across a month boundary: the year of the file's date only.
        XCTAssertTrue(
            r.stdout.contains("\"date\":\"2022\",\"date_precision\":\"year\",\"date_source\":\"file\""), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"published\":\"2022-04-10\",\"published_source\":\"file\""), r.stdout)
    }

    /// Publication dates from a file name and from a page's date line, queried like `date`,
    /// and `why` naming where each came from.
    func testPublishedFromFileNameAndDateLine() throws {
        let dir = try temporaryDirectory()
        try Data("中牟县大孟镇\n\n本报讯 昨日,大孟镇招聘服务人员1321人。\n".utf8).write(to: dir.appendingPathComponent("zzrb-2022-04-10.txt"))
        try Data("郑州日报\n\n2021年3月5日 星期五\n\n金水区开展植树活动\n\n本报讯 金水区干部群众栽植苗木1200余株。\n".utf8)
            .write(to: dir.appendingPathComponent("page.txt"))
        let r = try Binary.run([
            "--corpus", dir.path, "-c", "| show source, published, published_source, date, date_source | sort source",
            "-c", "published:2022-04 | count", "-c", "published >= 2021-03-05 published < 2022 | count",
            "-c", "why 0", "--format", "tsv",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(
            r.stdout.hasPrefix(
                """
                source\tpublished\tpublished_source\tdate\tdate_source
                page.txt\t2021-03-05\tpage\t2021\tpage
                zzrb-2022-04-10.txt\t2022-04-10\tfile\t2022-04-09\tfile
                count
                1
                count
                1
                article 0 · page.txt

                """), r.stdout)
        XCTAssertTrue(r.stdout.contains("2021-03-05 from the page's date line 3 “2021年3月5日 星期五”"), r.stdout)
        // A time key: groups in time order, not by count (the later day has more articles).
        try Data("本报讯 近日,中牟县白沙镇举办演出。\n\n荥阳高村乡石榴丰收\n\n本报讯 近日,高村乡石榴喜获丰收。\n".utf8)
            .write(to: dir.appendingPathComponent("zzrb-2022-04-11.txt"))
        let g = try Binary.run(["--corpus", dir.path, "-c", "| count by published", "--format", "csv"])
        XCTAssertEqual(g.stdout, "published,count\n2021-03-05,1\n2022-04-10,1\n2022-04-11,2\n", g.stderr)
    }

    func testMissingCorpusIsAUsageError() throws {
        let r = try Binary.run(["stats", "--corpus", "/no/such/place"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no such file or folder: /no/such/place"), r.stderr)
    }

    func testClosedPipeEndsQuietly() throws {
        let r = try Binary.shell("\"$KANBAO\" export articles | head -1 >/dev/null; echo \"status=${PIPESTATUS[0]}\"")
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "status=0")
        XCTAssertEqual(r.stderr, "")
    }
}
