// A differential test: hundreds of generated queries must return exactly the rows that a
// plain row-by-row evaluator finds. The reference works from the JSON export (not the
// columns), tests every row with ordinary string operations, and shares no code with the
// planner, the optimizer, the index or the executor, so no optimisation can change an
// answer unnoticed.
import Foundation
import KanbaoOutput
import KanbaoQuery
import KanbaoStore
import XCTest

/// Deterministic random numbers (SplitMix64), so a failure can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One article as the reference sees it.
struct RefArticle {
    var id: Int
    var headline: String
    var body: String
    var districts: [String]
    var places: [String]
    var reporters: [String]
    var date: (Int, Int)? // first and last day as yyyymmdd numbers
    var chars: Int
    var district: String?
    /// The date as exported (2022, 2022-04 or 2022-04-09).
    var dateText: String?
}

struct RefFigure {
    var article: Int
    var unit: String
    var value: Double
    var approx: String
}

indirect enum RefExpr {
    case keyword(String)
    case title(String)
    case district(String, query: String)
    case place(String)
    case reporter(String)
    case dateIn(Int, Int, query: String)
    case charsGreater(Int)
    case and([RefExpr])
    case or([RefExpr])
    case not(RefExpr)
    case unit(String)
    case valueGreater(Double, query: String)
    case approx(String)

    var text: String {
        switch self {
        case .keyword(let k): return k
        case .title(let k): return "title:\(k)"
        case .district(_, let q): return "district:\(q)"
        case .place(let p): return "place:\(p)"
        case .reporter(let r): return "reporter:\(r)"
        case .dateIn(_, _, let q): return q
        case .charsGreater(let n): return "chars > \(n)"
        case .and(let xs): return "(" + xs.map(\.text).joined(separator: " ") + ")"
        case .or(let xs): return "(" + xs.map(\.text).joined(separator: " or ") + ")"
        case .not(let x): return "not " + x.text
        case .unit(let u): return "unit:\(u)"
        case .valueGreater(_, let q): return "value > \(q)"
        case .approx(let a): return "approx:\(a)"
        }
    }
}

final class DifferentialTests: XCTestCase {
    var articles: [RefArticle] = []
    var figures: [RefFigure] = []

    override func setUpWithError() throws {
        var out = ""
        try Exporter.export(.articles, format: .jsonl, store: Fixtures.store) { out += $0 }
        for line in out.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let headline = (o["headline"] as! [String]).joined(separator: "\n")
            var date: (Int, Int)?
            if let d = o["date"] as? String {
                let p = d.split(separator: "-").map { Int($0)! }
                switch p.count {
                case 1: date = (p[0] * 10000 + 101, p[0] * 10000 + 1231)
                case 2: date = (p[0] * 10000 + p[1] * 100 + 1, p[0] * 10000 + p[1] * 100 + 31)
                default: date = (p[0] * 10000 + p[1] * 100 + p[2], p[0] * 10000 + p[1] * 100 + p[2])
                }
            }
            articles.append(
                RefArticle(
                    id: o["id"] as! Int, headline: headline.isEmpty ? o["title"] as! String : headline,
                    body: o["body"] as! String, districts: o["districts"] as! [String],
                    places: o["places"] as! [String], reporters: o["reporters"] as! [String],
                    date: date, chars: o["chars"] as! Int, district: o["district"] as? String,
                    dateText: o["date"] as? String))
        }
        var fout = ""
        try Exporter.export(.figures, format: .jsonl, store: Fixtures.store) { fout += $0 }
        for line in fout.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            figures.append(
                RefFigure(
                    article: o["article"] as! Int, unit: o["unit"] as! String,
                    value: (o["value"] as! NSNumber).doubleValue, approx: o["approx"] as! String))
        }
    }

    func matches(_ e: RefExpr, _ a: RefArticle, _ f: RefFigure?) -> Bool {
        switch e {
        // Text is searched folded (traditional = simplified, full width = half width, case).
        case .keyword(let k):
            return Folding.fold(a.headline).contains(Folding.fold(k)) || Folding.fold(a.body).contains(Folding.fold(k))
        case .title(let k): return Folding.fold(a.headline).contains(Folding.fold(k))
        case .district(let d, _): return a.districts.contains(d)
        case .place(let p): return a.places.contains(p)
        case .reporter(let r): return a.reporters.contains(r)
        case .dateIn(let lo, let hi, _): return a.date.map { $0.0 >= lo && $0.1 <= hi } ?? false
        case .charsGreater(let n): return a.chars > n
        case .and(let xs): return xs.allSatisfy { matches($0, a, f) }
        case .or(let xs): return xs.contains { matches($0, a, f) }
        case .not(let x): return !matches(x, a, f)
        case .unit(let u): return f!.unit == u
        case .valueGreater(let v, _): return f!.value > v
        case .approx(let x): return f!.approx == x
        }
    }

    static let keywords = [
        "党建", "营商环境", "疫苗", "核酸", "演练", "群众", "党", "郑州", "志愿", "社区", "环境", "疫情",
        "服务", "不存在的词", "办事处", "乡村振兴", "大孟", "绿",
    ]
    static let districts = [
        ("中牟县", "中牟县"), ("中牟县", "中牟"), ("二七区", "二七区"), ("郑东新区", "郑东新区"),
        ("郑州经济技术开发区", "经开区"), ("管城回族区", "管城区"), ("中原区", "中原区"), ("金水区", "金水"),
        ("郑州高新技术产业开发区", "高新区"),
    ]
    static let places = ["大孟镇", "花园口镇", "杜岭街道", "城关乡", "九龙镇", "汜水镇"]
    static let reporters = ["卢文军", "刘伟平", "王阳", "杨丽萍"]
    static let dates: [(Int, Int, String)] = [
        (20_190_101, 20_191_231, "date:2019"), (20_220_101, 20_221_231, "date:2022"),
        (20_220_401, 20_220_430, "date:2022-04"),
        (20_220_409, 20_220_409, "date:2022-04-09"), (20_200_101, 99_991_231, "date:2020.."),
        (0, 20_191_231, "date:..2019-12"),
        (20_201_001, 99_991_231, "date >= 2020-10-01"), (0, 20_220_408, "date < 2022-04-09"),
        (20_190_301, 20_201_231, "date:2019-03..2020"),
    ]

    func randomExpr(_ g: inout SeededRandom, depth: Int, figures: Bool) -> RefExpr {
        let leafCount = figures ? 10 : 7
        if depth == 0 || Int.random(in: 0..<3, using: &g) == 0 {
            switch Int.random(in: 0..<leafCount, using: &g) {
            case 0, 1: return .keyword(DifferentialTests.keywords.randomElement(using: &g)!)
            case 2: return .title(DifferentialTests.keywords.randomElement(using: &g)!)
            case 3:
                let d = DifferentialTests.districts.randomElement(using: &g)!
                return .district(d.0, query: d.1)
            case 4:
                return Bool.random(using: &g)
                    ? .place(DifferentialTests.places.randomElement(using: &g)!)
                    : .reporter(DifferentialTests.reporters.randomElement(using: &g)!)
            case 5:
                let d = DifferentialTests.dates.randomElement(using: &g)!
                return .dateIn(d.0, d.1, query: d.2)
            case 6: return .charsGreater([300, 500, 700, 1500].randomElement(using: &g)!)
            case 7: return .unit(["人", "个", "名", "元", "平方米", "%"].randomElement(using: &g)!)
            case 8:
                let v = [(10.0, "10"), (100, "100"), (1000, "1000"), (15000, "1.5万"), (1e8, "1亿")].randomElement(
                    using: &g)!
                return .valueGreater(v.0, query: v.1)
            default: return .approx(["exact", "over", "under"].randomElement(using: &g)!)
            }
        }
        let n = Int.random(in: 2...3, using: &g)
        switch Int.random(in: 0..<3, using: &g) {
        case 0: return .and((0..<n).map { _ in randomExpr(&g, depth: depth - 1, figures: figures) })
        case 1: return .or((0..<n).map { _ in randomExpr(&g, depth: depth - 1, figures: figures) })
        default: return .not(randomExpr(&g, depth: depth - 1, figures: figures))
        }
    }

    func ids(_ script: String) -> [Int]? {
        let r = Fixtures.run(script, format: .tsv)
        guard r.ok else {
            XCTFail("\(script): \(r.err)")
            return nil
        }
        return r.out.split(separator: "\n").dropFirst().map { Int($0.split(separator: "\t")[0])! }
    }

    /// A one-key grouping's (key, count) pairs; the null group's key is "".
    func groups(_ script: String) -> [String: Int] {
        let r = Fixtures.run(script, format: .tsv)
        XCTAssertTrue(r.ok, r.err)
        var got: [String: Int] = [:]
        for line in r.out.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() where !line.isEmpty {
            let p = line.split(separator: "\t", omittingEmptySubsequences: false)
            got[String(p[0])] = Int(p[1])!
        }
        return got
    }

    func testGeneratedArticleQueriesAgreeWithTheReference() {
        checkGeneratedArticleQueries(seed: 20_261_124)
    }

    /// The same with every scan, filter and grouping split between two threads (the seeds
    /// are below the size where that happens by itself), so the halves and their joins
    /// are checked too.
    func testGeneratedArticleQueriesAgreeWhenEveryScanIsSplit() {
        Executor.$rowsWorthSplitting.withValue(0) { checkGeneratedArticleQueries(seed: 20_261_203) }
    }

    /// The same with zones of three articles, so that date tests skip zones and top-k
    /// by date stops early on the seeds too.
    func testGeneratedArticleQueriesAgreeWithSmallZones() {
        Executor.$zoneRows.withValue(3) { checkGeneratedArticleQueries(seed: 20_261_207) }
    }

    func testGeneratedFigureQueriesAgreeWhenEveryScanIsSplit() {
        Executor.$rowsWorthSplitting.withValue(0) { checkGeneratedFigureQueries(seed: 8) }
    }

    func checkGeneratedArticleQueries(seed: UInt64) {
        var g = SeededRandom(state: seed)
        var nonEmpty = 0
        var partial = 0
        for k in 0..<300 {
            let e = randomExpr(&g, depth: 3, figures: false)
            let expected = articles.filter { matches(e, $0, nil) }
            if !expected.isEmpty { nonEmpty += 1 }
            if !expected.isEmpty && expected.count < articles.count { partial += 1 }
            switch k % 4 {
            case 0:
                XCTAssertEqual(ids(e.text + " | show id"), expected.map(\.id), e.text)
            case 1 where k % 8 == 1:
                XCTAssertEqual(ids(e.text + " | count"), [expected.count], e.text)
            case 1:
                // Date parts group through a day table: compared with the parts of the
                // exported date text (a month needs a month, a quarter too).
                let part = ["month", "quarter", "year"][(k / 8) % 3]
                var want: [String: Int] = [:]
                for a in expected {
                    guard let d = a.dateText else {
                        want["", default: 0] += 1
                        continue
                    }
                    let p = d.split(separator: "-").map { Int($0)! }
                    let key: String
                    switch part {
                    case "year": key = String(p[0])
                    case "month": key = p.count > 1 ? String(d.prefix(7)) : ""
                    default: key = p.count > 1 ? "\(p[0])-Q\((p[1] - 1) / 3 + 1)" : ""
                    }
                    want[key, default: 0] += 1
                }
                XCTAssertEqual(groups(e.text + " | count by \(part)"), want, e.text)
            case 2:
                let top = expected.sorted { $0.chars != $1.chars ? $0.chars > $1.chars : $0.id < $1.id }.prefix(3)
                XCTAssertEqual(ids(e.text + " | sort chars desc, id | limit 3 | show id"), top.map(\.id), e.text)
                // One numeric key takes the executor's fast path; ties keep id order.
                XCTAssertEqual(ids(e.text + " | sort chars desc | limit 3 | show id"), top.map(\.id), e.text)
                let bottom = expected.sorted { $0.chars != $1.chars ? $0.chars < $1.chars : $0.id < $1.id }
                XCTAssertEqual(ids(e.text + " | sort chars | show id"), bottom.map(\.id), e.text)
                // Dates: by first day, then precision (2019 before 2019-01); undated last in
                // either direction; ties in id order.
                func dateKey(_ a: RefArticle) -> (Int, Int)? {
                    a.date.map { ($0.0, a.dateText!.split(separator: "-").count) }
                }
                func before(_ x: RefArticle, _ y: RefArticle, desc: Bool) -> Bool {
                    switch (dateKey(x), dateKey(y)) {
                    case (nil, nil): return x.id < y.id
                    case (nil, _): return false
                    case (_, nil): return true
                    case (let a?, let b?): return a == b ? x.id < y.id : desc ? a > b : a < b
                    }
                }
                let newest = expected.sorted { before($0, $1, desc: true) }.prefix(5)
                XCTAssertEqual(ids(e.text + " | sort date desc | limit 5 | show id"), newest.map(\.id), e.text)
                let oldest = expected.sorted { before($0, $1, desc: false) }
                XCTAssertEqual(ids(e.text + " | sort date | show id"), oldest.map(\.id), e.text)
            default:
                // count by district, compared as a set of (district, count)
                var want: [String: Int] = [:]
                for a in expected { want[a.district ?? "", default: 0] += 1 }
                XCTAssertEqual(groups(e.text + " | count by district"), want, e.text)
            }
        }
        // The generated queries must actually select: not all empty, not all everything.
        XCTAssertGreaterThan(partial, 100, "only \(partial) of 300 queries select some but not all articles")
        XCTAssertGreaterThan(nonEmpty, 150)
    }

    func testGeneratedFigureQueriesAgreeWithTheReference() {
        checkGeneratedFigureQueries(seed: 7)
    }

    func checkGeneratedFigureQueries(seed: UInt64) {
        var g = SeededRandom(state: seed)
        var nonEmpty = 0
        defer { XCTAssertGreaterThan(nonEmpty, 50) }
        for _ in 0..<150 {
            let e = randomExpr(&g, depth: 2, figures: true)
            var expected: [Int] = []
            for f in figures where matches(e, articles[f.article], f) { expected.append(f.article) }
            if !expected.isEmpty && expected.count < figures.count { nonEmpty += 1 }
            let r = Fixtures.run("figures " + e.text + " | show article", format: .tsv)
            XCTAssertTrue(r.ok, "\(e.text): \(r.err)")
            XCTAssertEqual(r.out.split(separator: "\n").dropFirst().map { Int($0)! }, expected, e.text)
            // Grouped totals over the same figures: count and sum of values by district.
            var want: [String: (Int, Double)] = [:]
            for f in figures where matches(e, articles[f.article], f) {
                let d = articles[f.article].district ?? ""
                want[d, default: (0, 0)].0 += 1
                if !f.value.isNaN { want[d, default: (0, 0)].1 += f.value }
            }
            let grouped = Fixtures.run("figures " + e.text + " | stats count(), sum(value) by district", format: .tsv)
            XCTAssertTrue(grouped.ok, "\(e.text): \(grouped.err)")
            var got: [String: (Int, Double)] = [:]
            for line in grouped.out.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            where !line.isEmpty {
                let p = line.split(separator: "\t", omittingEmptySubsequences: false)
                got[String(p[0])] = (Int(p[1])!, Double(p[2]) ?? 0)
            }
            XCTAssertEqual(Set(got.keys), Set(want.keys), e.text)
            for (d, (n, sum)) in want {
                XCTAssertEqual(got[d]?.0, n, "\(e.text): count for \(d)")
                // Halves are summed apart and then added: equal up to rounding.
                XCTAssertEqual(
                    got[d]?.1 ?? .nan, sum, accuracy: Swift.max(1e-9 * abs(sum), 0.005), "\(e.text): sum for \(d)")
            }
        }
    }
}
