// Keeps grammar/kanbao.ebnf honest: its rules are exactly the parser's productions, each
// production is written down in the parser, and every example in it parses.
import Foundation
import KanbaoQuery
import XCTest

final class GrammarTests: XCTestCase {
    let grammar = try! String(
        contentsOf: Fixtures.repoRoot.appendingPathComponent("grammar/kanbao.ebnf"), encoding: .utf8)
    let parserSource = try! String(
        contentsOf: Fixtures.repoRoot.appendingPathComponent("Sources/KanbaoQuery/Syntax/Parser.swift"), encoding: .utf8
    )

    var rules: [String] {
        grammar.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let first = line.first, first.isLetter else { return nil }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            return name.allSatisfy({ $0.isLetter || $0 == "_" }) ? name : nil
        }
    }

    func testRulesAreExactlyTheParsersProductions() {
        XCTAssertEqual(Set(rules), Set(Parser.productions), "grammar rules vs Parser.productions")
        XCTAssertEqual(rules.count, Set(rules).count, "a rule is defined twice")
        for p in Parser.productions {
            XCTAssertTrue(parserSource.contains("// \(p) :="), "Parser.swift does not show production \(p)")
        }
    }

    func testEveryExampleParses() {
        guard let r = grammar.range(of: "Examples:\n") else { return XCTFail("no Examples section") }
        let examples = grammar[r.upperBound...].split(separator: "\n").map(String.init).filter {
            $0 != "*)" && !$0.isEmpty
        }
        XCTAssertGreaterThan(examples.count, 40)
        for e in examples {
            let outcomes = Parser.parse(e)
            XCTAssertFalse(outcomes.isEmpty, e)
            for o in outcomes {
                if case .failed(let d, _) = o { XCTFail("\(e): \(d.map(\.message))") }
            }
        }
    }

    func testEveryLanguageSketchExampleRunsOnTheSeeds() {
        // The sketch's "must work" list, bound and executed (not only parsed).
        let session = Session(store: Fixtures.store)
        for q in [
            "营商环境", "营商环境 | kwic", "district:中牟县 | show date, title", "疫苗 or 核酸 | count by district",
            "figures unit:人 value > 1000 | sort value desc | limit 5", "figures unit:元 | stats sum(value) by district",
            "figures context:志愿者 unit:人", "date:2019 | top 3 district | chart",
            "explain 营商环境 district:中牟县 date:2019..2022", "let $防疫 = 疫苗 or 核酸 or 疫情", "$防疫 | count by month",
            "count by district", "date != 2022 | count", "figures unit:元 | stats count(distinct article) by district",
            "figure(unit:元) | count by district", "電影小鎮 | count", "疫情 near/10 防控 | kwic",
            "district:中牟县 | terms 10", "why 0",
        ] {
            let r = Fixtures.run(q, session: session)
            XCTAssertTrue(r.ok, "\(q): \(r.err)")
        }
    }
}
