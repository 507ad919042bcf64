import KanbaoOutput
import KanbaoStore
import XCTest

final class RenderTests: XCTestCase {
    func testDisplayWidths() {
        XCTAssertEqual(DisplayWidth.of("中牟县"), 6)
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("，。「」"), 8)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1) // combining acute accent
        XCTAssertEqual(DisplayWidth.of("👍"), 2)
        XCTAssertEqual(DisplayWidth.of("\u{200B}"), 0) // zero-width space
        XCTAssertEqual(DisplayWidth.truncate("服务全程保姆式", to: 7), "服务全…")
    }

    func testEveryTableLineHasTheSameDisplayWidth() {
        let t = ResultTable(
            columns: ["id", "title", "note"],
            rows: [
                [.int(1), .text("服务全程「保姆式」 项目跑出「加速度」"), .text("e\u{301}te")],
                [.int(22), .text("二七区"), .text("👍 ok")],
                [.int(333), .text("plain ascii"), .null],
            ])
        for width in [200, 40, 25] {
            let out = Renderer.render(t, as: .table, options: RenderOptions(width: width))
            let lines = out.split(separator: "\n").map(String.init)
            // Trailing spaces are trimmed, so pad each to the rule's width before comparing.
            let rule = DisplayWidth.of(lines[1])
            for l in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(l), rule, "\(width): \(l)") }
            let cells = lines.filter { $0.contains("|") }
            let bars = cells.map { l -> [Int] in
                var w = 0
                var out: [Int] = []
                for u in l.unicodeScalars {
                    if u == "|" { out.append(w) }
                    w += DisplayWidth.of(u)
                }
                return out
            }
            XCTAssertTrue(bars.allSatisfy { $0 == bars[0] }, "columns misaligned at width \(width):\n\(out)")
            XCTAssertLessThanOrEqual(rule, max(width, 3 * 3 + 8 * 3), out)
        }
    }

    func testNumbersRightAlignedAndLongCellsTruncated() {
        let t = ResultTable(
            columns: ["n", "text"],
            rows: [[.int(5), .text(String(repeating: "长", count: 80))], [.int(12345), .text("x")]])
        let out = Renderer.render(t, as: .table, options: RenderOptions(width: 60))
        XCTAssertTrue(out.contains("     5 | 长长"), out)
        XCTAssertTrue(out.contains("…"))
        let csv = Renderer.render(t, as: .csv)
        XCTAssertTrue(csv.contains(String(repeating: "长", count: 80)), "other formats never truncate")
    }

    func testChartBarsScaleToTheWidth() {
        let t = ResultTable(
            columns: ["district", "count"],
            rows: [[.text("郑东新区"), .int(10)], [.text("中牟县"), .int(5)], [.null, .int(1)]])
        var c = t
        c.chart = true
        let out = Renderer.render(c, as: .table, options: RenderOptions(width: 50))
        let lines = out.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines.allSatisfy { DisplayWidth.of(String($0)) <= 50 }, out)
        XCTAssertTrue(lines[2].hasPrefix("(none)"), out)
        let full = lines[0].filter { $0 == "█" }.count
        let half = lines[1].filter { $0 == "█" }.count
        XCTAssertEqual(Double(half), Double(full) / 2, accuracy: 1)
    }
}
