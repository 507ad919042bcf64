// Golden files: query → expected output over the seeds. Each blank-line-separated block
// of a .kbq file runs in one session (so `let` carries on), and the .out file holds each
// block, then its output and diagnostics. Outputs were checked by hand against the page
// text; run with KANBAO_UPDATE_GOLDEN=1 to rewrite them, then read the diff.
import Foundation
import KanbaoQuery
import XCTest

final class GoldenQueryTests: XCTestCase {
    func check(_ name: String) throws {
        let dir = Fixtures.repoRoot.appendingPathComponent("Tests/KanbaoQueryTests/Golden")
        let script = try String(contentsOf: dir.appendingPathComponent("\(name).kbq"), encoding: .utf8)
        let session = Session(store: Fixtures.store)
        var out = ""
        for block in script.components(separatedBy: "\n\n") {
            let text = block.trimmingCharacters(in: .newlines)
            if text.isEmpty || text.split(separator: "\n").allSatisfy({ $0.hasPrefix("##") }) { continue }
            let r = Fixtures.run(text, session: session)
            out += ">>> " + text.replacingOccurrences(of: "\n", with: "\n... ") + "\n" + r.out + r.err + "\n"
        }
        let expectedURL = dir.appendingPathComponent("\(name).out")
        if ProcessInfo.processInfo.environment["KANBAO_UPDATE_GOLDEN"] == "1" {
            try out.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        if out != expected {
            let a = out.components(separatedBy: "\n")
            let e = expected.components(separatedBy: "\n")
            let k = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            XCTFail(
                "\(name): output differs at line \(k + 1):\n  got      \(k < a.count ? a[k] : "<end>")\n  expected \(k < e.count ? e[k] : "<end>")"
            )
        }
    }

    func testLanguageExamples() throws { try check("examples") }
    func testMoreQueries() throws { try check("queries") }
    func testErrors() throws { try check("errors") }
    func testFormats() throws { try check("formats") }
    func testWhyAndPublished() throws { try check("why") }
    func testHabitsAndFormerWrongAnswers() throws { try check("habits") }
    func testSearch() throws { try check("search") }
}
