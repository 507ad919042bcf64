import KanbaoQuery
import XCTest

final class ParserTests: XCTestCase {
    func filter(_ s: String) -> FilterSyntax? { Fixtures.query(s)?.filter }

    func shape(_ f: FilterSyntax?) -> String {
        guard let f else { return "nil" }
        switch f {
        case .term(let t, _, _): return t
        case .field(let n, _, let op, let v):
            switch v.kind {
            case .single(let t): return "\(n)\(op.rawValue)\(t.text)"
            case .range(let a, let b): return "\(n)\(op.rawValue)\(a?.text ?? "")..\(b?.text ?? "")"
            }
        case .fieldIn(let n, _, let vs): return "\(n) in \(vs.count)"
        case .variable(let n, _): return "$\(n)"
        case .and(let xs): return "and(" + xs.map(shape).joined(separator: " ") + ")"
        case .or(let xs): return "or(" + xs.map(shape).joined(separator: " ") + ")"
        case .not(let x, _): return "not(" + shape(x) + ")"
        case .figure(let x, _): return "figure(" + shape(x) + ")"
        case .proximity(let a, let b, let gap, let ordered, _, _):
            return "\(ordered ? "before" : "near")\(gap.map { "/\($0)" } ?? "")(\(a) \(b))"
        case .pattern(let p, _): return "/\(p)/"
        }
    }

    func testProximityBindsTighterThanAndOr() {
        XCTAssertEqual(shape(filter("疫情 near/5 防控")), "near/5(疫情 防控)")
        XCTAssertEqual(shape(filter("疫情 NEAR 防控")), "near(疫情 防控)")
        XCTAssertEqual(shape(filter("党建 before/20 引领 district:中牟县")), "and(before/20(党建 引领) district:中牟县)")
        XCTAssertEqual(shape(filter("a or 疫情 near \"防 控\"")), "or(a near(疫情 防 控))")
        XCTAssertEqual(shape(filter("-疫情 near/3 防控")), "not(near/3(疫情 防控))")
    }

    func testProximityMistakesAreErrors() {
        for (q, message) in [
            ("疫情 near", "a search term after 'near'"),
            ("疫情 near/x 防控", "whole number"),
            ("疫情 near/5000 防控", "at most 1000"),
            ("(疫情 or 核酸) near 防控", "joins two search terms"),
            ("near 疫情", "reserved word"),
            ("near/5 疫情", "reserved word"),
            ("疫情 near district:中牟县", "a search term after 'near'"),
        ] {
            let d = Fixtures.parseErrors(q)
            XCTAssertTrue(d.contains { $0.message.contains(message) }, "\(q): \(d.map(\.message))")
        }
    }

    func testPatternsAreTerms() {
        XCTAssertEqual(shape(filter("/疫.{0,4}防控/ district:中牟县")), "and(/疫.{0,4}防控/ district:中牟县)")
        XCTAssertEqual(shape(filter("/a\\/b/")), "/a\\/b/")
        // A slash inside a word is part of it (dates, sources).
        XCTAssertEqual(shape(filter("date:2022/4/9")), "date:2022/4/9")
        XCTAssertTrue(Fixtures.parseErrors("/疫情").contains { $0.message.contains("unterminated pattern") })
    }

    func testFigureFilterIsAPrimary() {
        XCTAssertEqual(shape(filter("figure(unit:元 value > 1万) 营商环境")), "and(figure(and(unit:元 value>1万)) 营商环境)")
        // Without a parenthesis, figure is a word to search for.
        XCTAssertEqual(shape(filter("figure")), "figure")
    }

    func testPrecedenceNotAndOr() {
        XCTAssertEqual(shape(filter("a b or c")), "or(and(a b) c)")
        XCTAssertEqual(shape(filter("a or b c")), "or(a and(b c))")
        XCTAssertEqual(shape(filter("not a b")), "and(not(a) b)")
        XCTAssertEqual(shape(filter("(疫苗 or 核酸) and not 演练")), "and(or(疫苗 核酸) not(演练))")
        XCTAssertEqual(shape(filter("党建 -演练")), "and(党建 not(演练))")
        XCTAssertEqual(shape(filter("a and b or c and d")), "or(and(a b) and(c d))")
        XCTAssertEqual(shape(filter("not not a")), "not(not(a))")
    }

    func testFieldPredicates() {
        XCTAssertEqual(shape(filter("district:中牟县")), "district:中牟县")
        XCTAssertEqual(shape(filter("value >= 1.5万")), "value>=1.5万")
        XCTAssertEqual(shape(filter("date:2020-03-01..2020-06-30")), "date:2020-03-01..2020-06-30")
        XCTAssertEqual(shape(filter("date:2021..")), "date:2021..")
        XCTAssertEqual(shape(filter("date:..2019-12")), "date:..2019-12")
        XCTAssertEqual(shape(filter("district in (中原区, 二七区)")), "district in 2")
        XCTAssertEqual(shape(filter("date:2021.. 营商环境")), "and(date:2021.. 营商环境)")
        XCTAssertEqual(shape(filter("$防疫 district:惠济区")), "and($防疫 district:惠济区)")
        XCTAssertEqual(shape(filter("\"or\" 营商环境")), "and(or 营商环境)") // a quoted reserved word is a keyword
    }

    func testStagesAndSources() {
        guard let q = Fixtures.query("figures unit:人 value > 1000 | sort value desc, article | limit 5") else { return }
        XCTAssertEqual(q.source, .figures)
        XCTAssertEqual(q.stages.count, 2)
        guard case .sort(let keys) = q.stages[0].0 else { return XCTFail() }
        XCTAssertEqual(keys.map(\.name), ["value", "article"])
        XCTAssertEqual(keys.map(\.descending), [true, false])
        guard let s = Fixtures.query("| stats count(), sum(value), avg(chars) by district, year") else { return }
        guard case .stats(let aggs, let by) = s.stages[0].0 else { return XCTFail() }
        XCTAssertEqual(aggs.map(\.function), ["count", "sum", "avg"])
        XCTAssertEqual(by.map(\.name), ["district", "year"])
    }

    func testStatementsSplitOnNewlinesAndSemicolons() {
        let outcomes = Parser.parse("营商环境\nlet $x = 疫苗 or 核酸; $x | count\n.mode csv\nexplain analyze 党建")
        XCTAssertEqual(outcomes.count, 5)
        let kinds = outcomes.map { o -> String in
            guard case .parsed(let p) = o else { return "error" }
            switch p.statement {
            case .query: return "query"
            case .explain(_, let a): return a ? "explain analyze" : "explain"
            case .letFilter: return "let"
            case .dotCommand: return "dot"
            case .why: return "why"
            }
        }
        XCTAssertEqual(kinds, ["query", "let", "query", "dot", "explain analyze"])
    }

    func testErrorRecoveryReportsEveryBadStageAndContinues() {
        let outcomes = Parser.parse("营商环境 | srot date | limit x | count\n党建 | count")
        XCTAssertEqual(outcomes.count, 2)
        guard case .failed(let diags, _) = outcomes[0] else { return XCTFail() }
        XCTAssertEqual(diags.count, 2)
        guard case .parsed = outcomes[1] else { return XCTFail("the next statement must still parse") }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        let outcomes = Parser.parse(deep)
        guard case .failed(let diags, _) = outcomes.first else { return XCTFail() }
        XCTAssertTrue(diags[0].message.contains("nested too deeply"))
        let nots = String(repeating: "not ", count: 50_000) + "a"
        guard case .failed(let d2, _) = Parser.parse(nots).first else { return XCTFail() }
        XCTAssertTrue(d2[0].message.contains("nested too deeply"))
    }

    func testHugeQueriesHitLimits() {
        let many = Array(repeating: "党建", count: 20_000).joined(separator: " ")
        guard case .failed(let d, _) = Parser.parse(many).first else { return XCTFail() }
        XCTAssertTrue(d[0].message.contains("too many terms") || d[0].message.contains("too long"), d[0].message)
        let megabyte = String(repeating: "营", count: 1 << 20)
        guard case .failed(let d2, _) = Parser.parse(megabyte).first else { return XCTFail() }
        XCTAssertTrue(d2[0].message.contains("statement too long"), d2[0].message)
    }
}

final class NamedFilterTests: XCTestCase {
    func testFiltersBuiltFromFiltersStayBounded() {
        let script = "let $x = 党建\n" + String(repeating: "let $x = ($x or 演练) 群众\n", count: 400) + "$x | count\n"
        let r = Fixtures.run(script)
        XCTAssertFalse(r.ok)
        XCTAssertTrue(r.err.contains("levels deep (the limit is 256)"), String(r.err.prefix(300)))
        XCTAssertTrue(r.out.hasSuffix("(1 row)\n"), "the last statement still runs with the deepest filter allowed")
    }
}
