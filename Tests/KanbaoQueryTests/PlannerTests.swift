// The binder and planner: aliases, index probes, cost order, top-k, constant folding,
// and explain analyze's per-operator figures.
import KanbaoIngest
import KanbaoQuery
import KanbaoStore
import XCTest

final class PlannerTests: XCTestCase {
    func plans(_ q: String) throws -> (LogicalPlan, LogicalPlan, PhysicalPlan) {
        let s = Session(store: Fixtures.store)
        let p = try s.plan(Fixtures.query(q)!)
        return (p.logical, p.optimized, p.physical)
    }

    func testAliasesResolveToCanonicalNames() throws {
        let b = Binder(store: Fixtures.store)
        for (alias, canonical) in [("中牟", "中牟县"), ("管城区", "管城回族区"), ("经开区", "郑州经济技术开发区"), ("高新区", "郑州高新技术产业开发区"),
                                   ("航空港区", "郑州航空港经济综合实验区"), ("二七", "二七区"), ("中原", "中原区")] {
            let f = try b.bind(Fixtures.query("district:\(alias)")!.filter!, source: .articles)
            guard case .codes(.district, _, let label) = f else { return XCTFail("\(alias): \(f)") }
            XCTAssertEqual(label, canonical, alias)
        }
    }

    func testKeywordsBecomeIndexProbesAndConjunctsAreOrderedByCost() throws {
        let (_, _, p) = try plans("营商环境 body:环境 district:中牟县 date:2019..2022")
        guard case .filter(.indexProbe(.articles, let e), let residual) = p else { return XCTFail("\(p)") }
        guard case .and(let parts) = e else { return XCTFail("\(e)") }
        XCTAssertEqual(parts.count, 2)
        // date (an integer range test) is cheaper than district (a list scan).
        XCTAssertEqual(residual.map(\.describe), ["date:2019..2022", "district:中牟县"])
    }

    func testNotBecomesPostingSubtraction() throws {
        let (_, _, p) = try plans("(疫苗 or 核酸) -演练")
        guard case .indexProbe(_, .andNot(.or, .keyword("演练", .any))) = p else { return XCTFail("\(p)") }
    }

    func testSortLimitBecomesTopK() throws {
        let (l, o, p) = try plans("党建 | sort date desc | limit 3")
        guard case .limit(.sort, 3) = l else { return XCTFail("\(l)") }
        guard case .topK(_, _, 3) = o else { return XCTFail("\(o)") }
        guard case .topKRows(_, _, 3) = p else { return XCTFail("\(p)") }
    }

    func testConstantFolding() throws {
        XCTAssertEqual(Optimizer.fold(.and([.constant(true), .keyword("a", .any)])), .keyword("a", .any))
        XCTAssertEqual(Optimizer.fold(.or([.constant(false), .not(.not(.keyword("a", .any)))])), .keyword("a", .any))
        XCTAssertEqual(Optimizer.fold(.and([.keyword("a", .any), .dateWithin(.date, lo: 10, hi: 1, label: "")])), .constant(false))
        XCTAssertEqual(Optimizer.fold(.and([.keyword("a", .any), .and([.keyword("b", .any), .keyword("a", .any)])])),
                       .and([.keyword("a", .any), .keyword("b", .any)]))
        let (_, o, p) = try plans("营商环境 date:2030..2020")
        guard case .filter(_, .constant(false)) = o, case .empty = p else { return XCTFail("\(o) \(p)") }
    }

    func testExplainAnalyzeReportsRowsPerOperator() throws {
        let r = Fixtures.run("explain analyze 营商环境 district:中牟县 | count")
        XCTAssertTrue(r.ok, r.err)
        XCTAssertTrue(r.out.contains("CountRows  [rows: 1, "), r.out)
        XCTAssertTrue(r.out.contains("Filter district:中牟县  [rows: 1, "), r.out)
        XCTAssertTrue(r.out.contains("IndexProbe articles “营商环境” (verified after the filter)  [rows: 3, "), r.out)
        XCTAssertTrue(r.out.contains("Total: 1 row in "), r.out)
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
        for (field, text) in [("title", { (i: Int) in s.articles.title[i] }), ("body", { (i: Int) in s.articles.body[i] })] {
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
