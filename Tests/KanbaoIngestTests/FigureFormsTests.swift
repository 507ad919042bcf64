// Figure forms, case by case: Pages/figures/cases.txt holds one case a line,
//   text ⇒ raw | value | unit [| approx [| value_max]]     (the one figure the text holds)
//   text ⇒ none                                              (no figure at all)
// written from EXTRACTION.md's rules and the issue's examples, each checked by hand.
import Foundation
import KanbaoIngest
import KanbaoStore
import XCTest

final class FigureFormsTests: XCTestCase {
    struct Case {
        var line: Int
        var text: String
        var expected: (raw: String, value: Double, unit: String, approx: Approx, max: Double?)?
    }

    func cases() throws -> [Case] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Pages/figures/cases.txt", withExtension: nil))
        var out: [Case] = []
        for (k, line) in try String(contentsOf: url, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let sides = line.components(separatedBy: " ⇒ ")
            XCTAssertEqual(sides.count, 2, "cases.txt:\(k + 1) is not 'text ⇒ expected'")
            guard sides.count == 2 else { continue }
            if sides[1] == "none" {
                out.append(Case(line: k + 1, text: sides[0], expected: nil))
                continue
            }
            let f = sides[1].components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count >= 3, let value = Double(f[1]) else {
                XCTFail("cases.txt:\(k + 1): bad expectation")
                continue
            }
            let approx = f.count > 3 ? Approx(name: f[3]) ?? .exact : .exact
            out.append(
                Case(
                    line: k + 1, text: sides[0], expected: (f[0], value, f[2], approx, f.count > 4 ? Double(f[4]) : nil)
                ))
        }
        return out
    }

    func testEveryCase() throws {
        let all = try cases()
        XCTAssertGreaterThanOrEqual(all.count, 150)
        XCTAssertGreaterThanOrEqual(all.filter { $0.expected == nil }.count, 40)
        var failures: [String] = []
        for c in all {
            let got = FigureReader.figures(in: c.text)
            guard let e = c.expected else {
                if !got.isEmpty {
                    failures.append("cases.txt:\(c.line) \(c.text): expected none, got \(got.map(\.raw))")
                }
                continue
            }
            guard got.count == 1, let f = got.first else {
                failures.append("cases.txt:\(c.line) \(c.text): expected one figure \(e.raw), got \(got.map(\.raw))")
                continue
            }
            if f.raw != e.raw || f.value != e.value || f.unit != e.unit || f.approx != e.approx || f.valueMax != e.max {
                failures.append(
                    "cases.txt:\(c.line) \(c.text): expected \(e.raw) \(e.value) \(e.unit) \(e.approx.name) \(e.max.map { "\($0)" } ?? "-"), got \(f.raw) \(f.value) \(f.unit) \(f.approx.name) \(f.valueMax.map { "\($0)" } ?? "-")"
                )
            }
        }
        XCTAssertTrue(
            failures.isEmpty, "\(failures.count) of \(all.count) cases wrong:\n" + failures.joined(separator: "\n"))
    }
}
