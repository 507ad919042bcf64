// The binder and planner: aliases, index probes, cost order, top-k, constant folding,
// and explain analyze's per-operator figures.
import KanbaoIngest
import KanbaoSeeds
import KanbaoStore
import XCTest

@testable import KanbaoQuery

final class PlannerTests: XCTestCase {
    func plans(_ q: String) throws -> (LogicalPlan, LogicalPlan, PhysicalPlan) {
        let s = Session(store: Fixtures.store)
        let p = try s.plan(Fixtures.query(q)!)
        return (p.logical, p.optimized, p.physical)
    }

    func testAliasesResolveToCanonicalNames() throws {
        let b = Binder(store: Fixtures.store)
        for (alias, canonical) in [
            ("中牟", "中牟县"), ("管城区", "管城回族区"), ("经开区", "郑州经济技术开发区"), ("高新区", "郑州高新技术产业开发区"),
            ("航空港区", "郑州航空港经济综合实验区"), ("二七", "二七区"), ("中原", "中原区"),
        ] {
            let f = try b.bind(Fixtures.query("district:\(alias)")!.filter!, source: .articles)
            guard case .codes(.district, _, let label) = f else { return XCTFail("\(alias): \(f)") }
            XCTAssertEqual(label, canonical, alias)
        }
    }

    func testKeywordsBecomeIndexProbesAndConjunctsAreOrderedByCost() throws {
        let (_, _, p) = try plans("营商环境 body:环境 district:中牟县 date:2019..2022")
        // Keywords ANDed with cheaper tests: candidates, the tests, then the text.
        guard case .rows(.probeThenVerify(.articles, let words, let residual)) = p else { return XCTFail("\(p)") }
        XCTAssertEqual(words.count, 2)
        // date (an integer range test) is cheaper than district (a list scan).
        XCTAssertEqual(residual.map(\.describe), ["date:2019..2022", "district:中牟县"])
        // Without keywords the cheapest column test scans the table, the rest refine it.
        let (_, _, q) = try plans("speaker:马东亮 date:2019..2022")
        guard case .rows(.columnFilter(.columnScan(.articles, let first), let rest)) = q else { return XCTFail("\(q)") }
        XCTAssertEqual(Set([first.describe] + rest.map(\.describe)), ["date:2019..2022", "speaker:马东亮"])
        // A district's posting list, shorter than the date scan, is where the scan starts.
        let (_, _, r) = try plans("district:中牟县 date:2019..2022 speaker:马东亮")
        guard case .rows(.columnFilter(.listPostings(let list), let tests)) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(list.describe, "district:中牟县")
        XCTAssertEqual(tests.map(\.describe), ["date:2019..2022", "speaker:马东亮"])
    }

    /// Scans that start from a list's postings give what the row-by-row list test gives:
    /// districts, places and reporters, alone and with dates, keywords and negations.
    func testListPostingsAnswerAsTheListTest() throws {
        let session = Session(store: Fixtures.store)
        var used = 0
        for q in [
            "district:中牟县", "district:中牟县 date:2019..2022", "district:金水区 date:2021", "place:大孟镇",
            "reporter:卢文军 date:2019..", "群众 district:二七区 date:2020..2022", "district:惠济区 -党建",
            "district:郑东新区 chars > 500", "district:中原区 published:2020..",
        ] {
            let (_, _, plan) = try session.plan(Fixtures.query(q)!)
            if "\(plan)".contains("listPostings") { used += 1 }
            let fast = Fixtures.run(q + " | show id", format: .tsv, session: session).out
            // `or` with a word no article holds leaves the answer alone and turns the
            // postings off (a disjunction is tested row by row).
            let plain = Fixtures.run("(" + q + ") or 不在语料里的词 | show id", format: .tsv, session: session).out
            XCTAssertEqual(fast, plain, q)
        }
        XCTAssertGreaterThan(used, 5, "most of these should start from postings")
        // Every district's postings are exactly the articles whose list holds it.
        let a = Fixtures.store.articles
        let postings = ListPostings(a.districts)
        for code in 0..<Int32(a.districts.values.dictionary.count) {
            let expected = (0..<a.count).filter { a.districts.contains(row: $0, code: code) }.map(Int32.init)
            XCTAssertEqual(Array(postings.rows(of: code)), expected)
        }
    }

    func testNotBecomesPostingSubtraction() throws {
        let (_, _, p) = try plans("(疫苗 or 核酸) -演练")
        guard case .rows(.indexProbe(_, .andNot(.or, .keyword("演练", .any)))) = p else { return XCTFail("\(p)") }
    }

    func testSortLimitBecomesTopK() throws {
        let (l, o, p) = try plans("党建 | sort date desc | limit 3")
        guard case .limit(.sort, 3) = l else { return XCTFail("\(l)") }
        guard case .topK(_, _, 3) = o else { return XCTFail("\(o)") }
        guard case .rows(.topKRows(_, _, 3)) = p else { return XCTFail("\(p)") }
    }

    /// A limit after kwic goes into it (the kwic stops reading once it has enough hits);
    /// a count of a whole table reads no rows.
    func testLimitGoesIntoKwicAndWholeTableCountsReadNoRows() throws {
        guard case .table(.kwic(_, _, _, 5)) = try plans("党建 | kwic | limit 5").2 else { return XCTFail() }
        guard case .table(.kwic(_, _, _, nil)) = try plans("党建 | kwic").2 else { return XCTFail() }
        guard case .table(.tableCount(.figures)) = try plans("figures | count").2 else { return XCTFail() }
        guard case .table(.tableCount(.articles)) = try plans("| count").2 else { return XCTFail() }
        guard case .table(.countRows) = try plans("党建 | count").2 else { return XCTFail() }
        // The limited kwic shows the same first rows as the whole kwic cut after them.
        let whole = Fixtures.run("党建 | kwic", format: .tsv).out.split(separator: "\n")
        let first = Fixtures.run("党建 | kwic | limit 5", format: .tsv).out.split(separator: "\n")
        XCTAssertEqual(Array(whole.prefix(6)), first)
        XCTAssertEqual(Fixtures.run("figures | count", format: .tsv).out, "count\n\(Fixtures.store.figures.count)\n")
    }

    /// A kwic of the one keyword the articles are chosen by reads the index's candidates
    /// itself: the same hits as the kwic over verified articles, for keywords whose
    /// candidates include articles without them.
    func testKwicOverUnverifiedCandidatesGivesTheVerifiedHits() throws {
        guard case .table(.kwic(.indexCandidates("营商环境"), _, _, 3)) = try plans("营商环境 | kwic | limit 3").2 else {
            return XCTFail()
        }
        guard case .table(.kwic(.indexProbe, _, _, 3)) = try plans("营商环境 | kwic 营商 | limit 3").2 else {
            return XCTFail()
        }
        var sawFalseCandidate = false
        for k in ["营商环境", "疫情防控", "党建引领", "乡村振兴", "志愿服务", "郑州市", "社区志愿服务", "群众满意度", "不在语料里"] {
            let whole = Fixtures.run("\(k) | kwic", format: .tsv).out
            let lazy = Fixtures.run("\(k) | kwic | limit 100000", format: .tsv).out
            XCTAssertEqual(lazy, whole, k)
            let candidates = Set(Fixtures.store.bodyIndex.candidates(k, intersecting: false).rows)
            let matching = Set(
                Fixtures.run("\(k) | show id", format: .tsv).out.split(separator: "\n").dropFirst().map { Int32($0)! })
            if !candidates.subtracting(matching).isEmpty { sawFalseCandidate = true }
        }
        XCTAssertTrue(sawFalseCandidate, "some keyword's shortest list holds articles without it")
    }

    /// Top k by date reads zones of rows in order of their best date and stops early:
    /// the same rows as the whole sort cut after k, with zones of three articles.
    func testTopKByDateThroughZonesEqualsTheWholeSort() {
        Executor.$zoneRows.withValue(3) {
            for filter in ["", "党建", "date:2019", "district:中牟县", "not 疫情"] {
                for order in ["date", "date desc", "published", "published desc"] {
                    let whole = Fixtures.run("\(filter) | sort \(order) | show id", format: .tsv).out.split(
                        separator: "\n")
                    for k in [1, 2, 5, 11, 40] {
                        let top = Fixtures.run("\(filter) | sort \(order) | limit \(k) | show id", format: .tsv).out
                        XCTAssertEqual(
                            top.split(separator: "\n"), Array(whole.prefix(k + 1)),
                            "\(filter) | sort \(order) | limit \(k)")
                    }
                }
            }
        }
    }

    /// A keyword most articles hold, with a date test: the date test scans first and the
    /// keyword keeps the rows in its lists; a rare keyword is probed first as before.
    func testCommonKeywordsAreKeptByMembershipAfterADateScan() throws {
        guard case .rows(.keepIndexed(.columnScan(.articles, .dateWithin), _)) = try plans("党 date:2019..2022").2 else {
            return XCTFail("\(try plans("党 date:2019..2022").2)")
        }
        guard case .rows(.probeThenVerify) = try plans("藿香正气水 date:2019..2022").2 else { return XCTFail() }
        // The seed pages under dated file names, so that published dates are known and
        // differ from page to page (the seeds' own names carry none).
        let dates = ["2019-05-06", "2020-03-02", "2020-11-20", "2021-06-30", "2022-04-12"]
        let dated = CorpusLoader().load(
            pages: Seeds.pages.enumerated().map { k, p in (name: "zzrb-\(dates[k])-p\(k).txt", bytes: p.bytes) })
        // With zones of three articles the date and published-date scans skip zones too.
        for zoneRows in [4096, 3] {
            Executor.$zoneRows.withValue(zoneRows) {
                for q in [
                    "党 date:2019..2022", "郑州 date:2019..2022 district:中原区", "党 郑州 date:2020..", "的 published:2021",
                    "published:2019..2020", "date:2020 published:2020", "published >= 2021-06-30", "群众 published:2020",
                ] {
                    let fast = Fixtures.run(q + " | show id", format: .tsv, session: Session(store: dated)).out
                    // The same filter spelled so that no keyword plan or zone applies: a reference.
                    let slow = Fixtures.run(
                        "(" + q + ") or 不在语料里的词 | show id", format: .tsv, session: Session(store: dated)
                    ).out
                    XCTAssertEqual(fast, slow, "\(q), zones of \(zoneRows)")
                    XCTAssertGreaterThan(fast.split(separator: "\n").count, 1, "\(q) selects something")
                }
            }
        }
    }

    func testConstantFolding() throws {
        XCTAssertEqual(Optimizer.fold(.and([.constant(true), .keyword("a", .any)])), .keyword("a", .any))
        XCTAssertEqual(Optimizer.fold(.or([.constant(false), .not(.not(.keyword("a", .any)))])), .keyword("a", .any))
        XCTAssertEqual(
            Optimizer.fold(.and([.keyword("a", .any), .dateWithin(.date, lo: 10, hi: 1, label: "")])), .constant(false))
        XCTAssertEqual(
            Optimizer.fold(.and([.keyword("a", .any), .and([.keyword("b", .any), .keyword("a", .any)])])),
            .and([.keyword("a", .any), .keyword("b", .any)]))
        let (_, o, p) = try plans("营商环境 reporter:无此人")
        guard case .filter(_, .constant(false)) = o, case .rows(.empty) = p else { return XCTFail("\(o) \(p)") }
    }

    func testExplainAnalyzeReportsRowsPerOperator() throws {
        let r = Fixtures.run("explain analyze 营商环境 district:中牟县 | count")
        XCTAssertTrue(r.ok, r.err)
        XCTAssertTrue(r.out.contains("CountRows  [rows: 1, "), r.out)
        XCTAssertTrue(r.out.contains("ProbeThenVerify articles “营商环境” → district:中牟县 → verify text  [rows: 1, "), r.out)
        XCTAssertTrue(r.out.contains("Total: 1 row in "), r.out)
    }

    /// `explain` shows what runs: for each statement, the physical operators it prints are
    /// exactly those `explain analyze` reports running, in the same order.
    func testExplainAndExplainAnalyzeNameTheSameOperators() throws {
        let statements = [
            "营商环境", "营商环境 | count", "营商环境 district:中牟县 | count", "营商环境 body:环境 date:2019..2022",
            "(疫苗 or 核酸) -演练 | count by district", "district:中牟县 date:2019..2022", "date:2022 | count by month",
            "| count by district", "| count by date", "| count by place", "| stats count() by district, year",
            "figures unit:人 value > 1000 | sort value desc | limit 5", "figures unit:元 | stats sum(value) by district",
            "figures approx:over | top 3 unit", "figures context:志愿者 unit:人", "speaker:马东亮 | show title",
            "title:营商环境 or district:中原区", "not district:中牟县 | count", "营商环境 | kwic width 10",
            "date:2019 | top 3 district | chart", "published_source:none reporter:卢文军 | count",
        ]
        XCTAssertGreaterThanOrEqual(statements.count, 20)
        func operators(_ text: String, analyzed: Bool) -> [String] {
            let lines = text.components(separatedBy: "\n")
            guard let start = lines.firstIndex(where: { $0.hasPrefix("Physical plan") }) else { return [] }
            return lines[(start + 1)...].filter { $0.hasPrefix("  ") }.map { line in
                let label = line.trimmingCharacters(in: .whitespaces)
                return analyzed ? String(label[..<(label.range(of: "  [rows:")?.lowerBound ?? label.endIndex)]) : label
            }
        }
        for q in statements {
            let plain = Fixtures.run("explain \(q)")
            let analyzed = Fixtures.run("explain analyze \(q)")
            XCTAssertTrue(plain.ok && analyzed.ok, "\(q): \(plain.err)\(analyzed.err)")
            let a = operators(plain.out, analyzed: false)
            let b = operators(analyzed.out, analyzed: true)
            XCTAssertFalse(a.isEmpty, q)
            XCTAssertEqual(a, b, q)
        }
    }

    func testAggregateMethodIsChosenByThePlanner() throws {
        for (q, method) in [
            ("| count by district", AggregateMethod.dense), ("| count by month", .dense), ("| count by year", .dense),
            ("| count by week", .integer), ("| count by date", .integer), ("| count by place", .hash),
            ("figures | count by unit", .dense), ("| stats count() by district, year", .hash),
        ] {
            let (_, _, p) = try plans(q)
            guard case .table(.aggregate(_, _, _, _, let m)) = p else { return XCTFail("\(q): \(p)") }
            XCTAssertEqual(m, method, q)
        }
    }

    /// Rows and tables are different plan types: a stage given the other kind is refused
    /// by the planner with an error (the binder refuses such queries first), never run.
    func testAStageGivenTheOtherKindIsRefusedNotRun() {
        let grouped = LogicalPlan.aggregate(
            .scan(.articles), keys: [.district], aggregates: [AggregateSpec(function: .count, field: nil)],
            topN: nil)
        for bad in [
            LogicalPlan.count(grouped), .kwic(grouped, terms: [.keyword("a")], width: 5), .chart(.scan(.articles)),
            .filter(grouped, .constant(true)),
        ] {
            XCTAssertThrowsError(try Optimizer.physical(bad, store: Fixtures.store)) {
                XCTAssertTrue($0 is Optimizer.Mismatch, "\($0)")
            }
        }
    }

    func testCancelledQueryStops() throws {
        let s = Session(store: Fixtures.store)
        let q = Fixtures.query("| sort chars")!
        let p = try s.plan(q)
        let flag = CancellationFlag()
        flag.cancel()
        var exec = Executor(store: Fixtures.store, cancel: flag)
        XCTAssertThrowsError(try exec.run(p.physical)) { XCTAssertTrue($0 is QueryCancelled) }
    }
}

final class TextSortTests: XCTestCase {
    /// Sorting a text column by its bytes gives the order Swift's String comparison gives.
    func testTitleAndBodyOrdersMatchStringOrder() {
        let s = Fixtures.store
        for (field, text) in [
            ("title", { (i: Int) in s.articles.title[i] }), ("body", { (i: Int) in s.articles.body[i] }),
        ] {
            let ids = Array(0..<s.articles.count)
            let asc = ids.sorted { text($0) != text($1) ? text($0) < text($1) : $0 < $1 }
            let desc = ids.sorted { text($0) != text($1) ? text($0) > text($1) : $0 < $1 }
            let r1 = Fixtures.run("| sort \(field) | show id", format: .tsv)
            let r2 = Fixtures.run("| sort \(field) desc | show id", format: .tsv)
            XCTAssertEqual(r1.out.split(separator: "\n").dropFirst().map { Int($0)! }, asc, field)
            XCTAssertEqual(r2.out.split(separator: "\n").dropFirst().map { Int($0)! }, desc, field)
        }
        let f = Fixtures.run("figures unit:人 | sort title | show article", format: .tsv)
        XCTAssertTrue(f.ok, f.err)
    }
}
