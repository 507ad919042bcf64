// Search beyond plain keywords: folding, proximity, patterns, relevance, keyness. The
// differential test checks 300 generated near/before/pattern queries against a plain
// reference written here with ordinary string operations and Foundation's regular
// expressions, sharing nothing with the index, the planner or the Pike VM.
import Foundation
import KanbaoIngest
import KanbaoOutput
import KanbaoQuery
import KanbaoSeeds
import KanbaoStore
import XCTest

final class SearchTests: XCTestCase {
    /// Every article as the reference sees it: its headline lines and paragraphs, folded.
    struct Lines {
        var id: Int
        var lines: [[Unicode.Scalar]]
        var text: String
    }

    static let corpus: [Lines] = {
        let a = Fixtures.store.articles
        return (0..<a.count).map { i in
            let text = Folding.fold(a.headline.text[i]) + "\n" + Folding.fold(a.body[i])
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
            return Lines(id: i, lines: lines, text: text)
        }
    }()

    func ids(_ query: String, session: Session? = nil) -> [Int] {
        let r = Fixtures.run(query + " | show id", format: .tsv, session: session)
        XCTAssertTrue(r.ok, "\(query): \(r.err)")
        return r.out.split(separator: "\n").dropFirst().compactMap { Int($0) }
    }

    // MARK: folding

    /// A traditional spelling of simplified text: each character replaced by one that
    /// folds to it (the table read backwards), where there is one.
    static let traditional: [Unicode.Scalar: Unicode.Scalar] = {
        var back: [Unicode.Scalar: Unicode.Scalar] = [:]
        for v in 0x4E00...0x9FFF {
            guard let t = Unicode.Scalar(v), let s = Unicode.Scalar(Folding.fold(UInt32(v))), s != t else { continue }
            if back[s] == nil { back[s] = t }
        }
        return back
    }()

    static func traditionalSpelling(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { traditional[$0] ?? $0 }))
    }

    func testEverySeedArticleIsFoundByItsTitleInTraditionalCharacters() {
        let a = Fixtures.store.articles
        var changed = 0
        for i in 0..<a.count {
            let title = a.title[i]
            let trad = SearchTests.traditionalSpelling(title)
            if trad != title { changed += 1 }
            let quoted = "\"" + trad.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            XCTAssertTrue(ids("title:" + quoted).contains(i), "article \(i): \(trad)")
        }
        XCTAssertGreaterThan(changed, a.count / 2, "most titles must look different in traditional characters")
    }

    /// A row is folded for a needle only when it holds a kind of folding that can make one
    /// of the needle's characters: 疫情 never folds a row, 电影 folds rows with traditional
    /// characters, b级 rows with capitals or full-width forms.
    func testFoldKindsOfNeedlesAndRows() {
        XCTAssertEqual(SearchNeedle("疫情防控").kinds, 0)
        XCTAssertEqual(SearchNeedle("電影").kinds, Folding.traditional)
        XCTAssertEqual(SearchNeedle("Ｂ-2").kinds, Folding.width)
        XCTAssertEqual(SearchNeedle("Ｂ级").kinds, Folding.traditional | Folding.width) // 级 ← 級
        XCTAssertEqual(SearchNeedle("電影B").kinds, Folding.traditional | Folding.width)
        XCTAssertEqual(SearchNeedle("電影", exact: true).kinds, 0)
        func kinds(_ s: String) -> UInt8 { Array(s.utf16).withUnsafeBufferPointer { Folding.kindsChanging($0) } }
        XCTAssertEqual(kinds("疫情防控，工作。"), Folding.width) // full-width punctuation
        XCTAssertEqual(kinds("電影"), Folding.traditional)
        XCTAssertEqual(kinds("电影小镇"), 0)
        // Every folded unit is a fixed point, and its target kind is recorded.
        for u in 0..<0x10000 {
            let f = Folding.table[u]
            XCTAssertEqual(Folding.table[Int(f)], f, "fold(fold(\(u))) = fold(\(u))")
            if f != UInt16(u) { XCTAssertNotEqual(Folding.targetKinds[Int(f)], 0) }
        }
    }

    func testWidthAndCaseFold() {
        let b = ids("B级")
        XCTAssertFalse(b.isEmpty)
        XCTAssertEqual(ids("Ｂ级"), b)
        XCTAssertEqual(ids("b级"), b)
        XCTAssertEqual(ids("exact:\"B级\""), b)
        XCTAssertEqual(ids("exact:\"b级\""), [])
        XCTAssertEqual(ids("電影小鎮"), ids("电影小镇"))
        XCTAssertEqual(ids("exact:\"電影小鎮\""), [])
    }

    /// Pages printed in traditional characters: found by simplified queries and shown
    /// as printed, before and after a snapshot.
    func testTraditionalPagesAreFoundAndShownAsPrinted() throws {
        let seed = String(decoding: Seeds.pages[0].bytes, as: UTF8.self)
        let printed = seed.replacingOccurrences(of: "电影小镇", with: "電影小鎮")
            .replacingOccurrences(of: "营商环境", with: "營商環境")
        XCTAssertNotEqual(printed, seed)
        let store = CorpusLoader().load(pages: [("trad.txt", Array(printed.utf8)), Seeds.pages[1]])
        XCTAssertTrue(store.bodyIndex.foldKinds.contains { $0 & Folding.traditional != 0 })
        for s in [store, try Snapshot.decode(Snapshot.encode(store))] {
            let session = Session(store: s)
            let found = ids("电影小镇", session: session)
            XCTAssertFalse(found.isEmpty)
            XCTAssertEqual(ids("電影小鎮", session: session), found)
            XCTAssertEqual(ids("营商环境 电影小镇", session: session), found)
            XCTAssertEqual(ids("exact:\"电影小镇\"", session: session), [])
            XCTAssertEqual(ids("exact:\"電影小鎮\"", session: session), found)
            let kwic = Fixtures.run("电影小镇 | kwic | limit 1", format: .tsv, session: session).out
            XCTAssertTrue(kwic.contains("\t電影小鎮\t"), kwic)
            XCTAssertEqual(ids("/電影.鎮/", session: session), found)
            let business = ids("营商环境", session: session)
            XCTAssertTrue(Set(found).isSubset(of: business))
            XCTAssertEqual(ids("营商 near/2 环境", session: session), business)
        }
    }

    // MARK: proximity and patterns against a reference

    enum Probe {
        case near(String, String, Int, ordered: Bool)
        case pattern(String)

        var query: String {
            switch self {
            case .near(let a, let b, let g, let o): return "\"\(a)\" \(o ? "before" : "near")/\(g) \"\(b)\""
            case .pattern(let p): return "/\(p)/"
            }
        }
    }

    func referenceMatches(_ p: Probe, _ doc: Lines) -> Bool {
        switch p {
        case .near(let a, let b, let gap, let ordered):
            let (x, y) = (Array(Folding.fold(a).unicodeScalars), Array(Folding.fold(b).unicodeScalars))
            for line in doc.lines {
                func starts(_ w: [Unicode.Scalar]) -> [Int] {
                    guard w.count <= line.count else { return [] }
                    return (0...(line.count - w.count)).filter { Array(line[$0..<($0 + w.count)]) == w }
                }
                for i in starts(x) {
                    for j in starts(y) {
                        if j >= i + x.count && j - (i + x.count) <= gap { return true }
                        if !ordered && i >= j + y.count && i - (j + y.count) <= gap { return true }
                    }
                }
            }
            return false
        case .pattern(let source):
            let re = try! NSRegularExpression(pattern: Folding.fold(source))
            for line in doc.lines {
                let s = String(String.UnicodeScalarView(line))
                if re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil { return true }
            }
            return false
        }
    }

    /// A piece of some article's folded text: `length` characters without punctuation.
    func piece(_ g: inout SeededRandom, _ length: Int) -> String {
        while true {
            let doc = SearchTests.corpus.randomElement(using: &g)!
            let line = doc.lines.randomElement(using: &g)!
            guard line.count > length else { continue }
            let start = Int.random(in: 0...(line.count - length), using: &g)
            let w = line[start..<(start + length)]
            if w.contains(where: { KeywordIndex.isSeparator($0.value) || $0 == "/" || $0 == "\\" || $0 == "\"" }) {
                continue
            }
            return String(String.UnicodeScalarView(w))
        }
    }

    /// Two words of one line with 0–8 characters between them, or nil.
    func nearbyWords(_ g: inout SeededRandom) -> (String, String)? {
        let line = SearchTests.corpus.randomElement(using: &g)!.lines.randomElement(using: &g)!
        let (la, between, lb) = (
            Int.random(in: 1...3, using: &g), Int.random(in: 0...8, using: &g), Int.random(in: 1...2, using: &g)
        )
        guard line.count > la + between + lb else { return nil }
        let i = Int.random(in: 0...(line.count - la - between - lb), using: &g)
        let a = line[i..<(i + la)]
        let b = line[(i + la + between)..<(i + la + between + lb)]
        let bad = { (w: ArraySlice<Unicode.Scalar>) in
            w.contains { KeywordIndex.isSeparator($0.value) || $0 == "/" || $0 == "\\" || $0 == "\"" }
        }
        if bad(a) || bad(b) { return nil }
        return (String(String.UnicodeScalarView(a)), String(String.UnicodeScalarView(b)))
    }

    func randomProbe(_ g: inout SeededRandom) -> Probe {
        let k = Int.random(in: 0..<10, using: &g)
        if k < 5 {
            let gap = [0, 1, 3, 5, 10, 20].randomElement(using: &g)!
            if k < 3, let (a, b) = nearbyWords(&g) {
                // Two words from one line, a few characters apart, in either order.
                return Bool.random(using: &g) ? .near(a, b, gap, ordered: k == 0) : .near(b, a, gap, ordered: k == 0)
            }
            let a = piece(&g, Int.random(in: 1...3, using: &g))
            let b =
                Bool.random(using: &g) ? piece(&g, Int.random(in: 1...2, using: &g)) : ["的", "工作", "发展", "群众"][k % 4]
            return .near(a, b, gap, ordered: k % 2 == 0)
        }
        let a = piece(&g, Int.random(in: 1...2, using: &g))
        let b = piece(&g, Int.random(in: 1...2, using: &g))
        let c = piece(&g, 1)
        switch k {
        case 5:
            let (x, y) = nearbyWords(&g) ?? (a, b)
            return .pattern("\(x).{0,\(Int.random(in: 0...6, using: &g))}\(y)")
        case 6: return .pattern("(\(a)|\(b))\(c)")
        case 7: return .pattern("\(a)[\(c)\(b)]")
        case 8: return .pattern("\\d+\(c)")
        default: return .pattern("^\(a)|\(b)$")
        }
    }

    func testGeneratedProximityAndPatternQueriesAgreeWithTheReference() {
        var g = SeededRandom(state: 20_261_207)
        var matched = 0
        let extras = ["", " district:中牟县", " or 疫苗", " -党建", " | where date:2021.."]
        for n in 0..<300 {
            let probe = randomProbe(&g)
            let extra = extras[n % extras.count]
            let got = ids(probe.query + extra)
            var expected = SearchTests.corpus.filter { referenceMatches(probe, $0) }.map(\.id)
            if !extra.isEmpty {
                // The rest of the query as the plain filters already answer it.
                let plainExtra = extra.hasPrefix(" or") ? ids(String(extra.dropFirst(4))) : nil
                if let plainExtra {
                    expected = Array(Set(expected).union(plainExtra)).sorted()
                } else {
                    let rest = Set(ids(restQuery(extra)))
                    expected = expected.filter(rest.contains)
                }
            }
            XCTAssertEqual(got, expected, "\(probe.query + extra)")
            if !got.isEmpty { matched += 1 }
        }
        // Both kinds of answer are exercised: rows found, and none.
        XCTAssertGreaterThan(matched, 80, "many generated queries should select something")
        XCTAssertLessThan(matched, 270, "some generated queries should select nothing")
    }

    /// The non-search part of an extra clause, as a query of its own.
    func restQuery(_ extra: String) -> String {
        let t = extra.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("| where ") { return String(t.dropFirst(8)) }
        if t.hasPrefix("-") { return "not " + t.dropFirst() }
        return t
    }

    func testPatternErrorsPointIntoThePattern() {
        for (q, message, column) in [
            ("疫情 /(防控/", "unclosed '('", 5), ("/a{3,1}/", "smaller count", 3), ("/疫情\\q/", "unknown escape", 4),
            ("/[防控/", "unclosed '['", 2), ("/a*/", "matches empty text", 2), ("/*a/", "nothing to repeat", 2),
        ] {
            let r = Fixtures.run(q)
            XCTAssertFalse(r.ok, q)
            XCTAssertTrue(r.err.contains(message), "\(q): \(r.err)")
            XCTAssertTrue(r.err.contains(":1:\(column): error"), "\(q): \(r.err)")
        }
    }

    /// A backtracking engine takes exponential time on these; the Pike VM takes linear.
    func testPathologicalPatternsFinish() throws {
        let p = try Pattern("(a*)*b")
        let text = Array(String(repeating: "a", count: 5000).utf16)
        text.withUnsafeBufferPointer { t in XCTAssertNil(p.firstMatch(folded: t, printed: t)) }
        let q = try Pattern("(x+x+)+y")
        let xs = Array(String(repeating: "x", count: 3000).utf16)
        xs.withUnsafeBufferPointer { t in XCTAssertNil(q.firstMatch(folded: t, printed: t)) }
        XCTAssertThrowsError(try Pattern("(((a{1000}){1000}){1000})"))
    }

    func testPatternsPickCandidatesFromTheLiteralsEveryMatchHolds() throws {
        XCTAssertEqual(try Pattern("疫.{0,4}防控").required, .and([.keyword("疫", .any), .keyword("防控", .any)]))
        XCTAssertEqual(try Pattern("(疫情|疫苗)接种").required?.describe, "“疫情接种” ∪ “疫苗接种”")
        XCTAssertEqual(try Pattern("(疫情|疫苗).*接种").required?.describe, "(“疫情” ∪ “疫苗”) ∩ “接种”")
        XCTAssertNil(try Pattern("\\d+").required)
        XCTAssertEqual(try Pattern("電影?").required, .keyword("电", .any))
        // Leftmost, then longest.
        let p = try Pattern("a|ab|abc")
        let t = Array("xabcd".utf16)
        t.withUnsafeBufferPointer { XCTAssertEqual(p.firstMatch(folded: $0, printed: $0), 1..<4) }
    }

    // MARK: relevance

    func testHitsCountEveryOccurrenceAndScoreIsBM25() throws {
        let r = Fixtures.run("疫情 or 防控 | sort score desc | show id, hits, score", format: .tsv)
        XCTAssertTrue(r.ok, r.err)
        let rows = r.out.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        XCTAssertGreaterThan(rows.count, 5)
        let a = Fixtures.store.articles
        let n = Double(a.count)
        let avg = Double((0..<a.count).reduce(0) { $0 + Int(a.chars[$1]) }) / n
        func count(_ w: String, in s: String) -> Int { s.components(separatedBy: w).count - 1 }
        let df = ["疫情", "防控"].map { w in Double(SearchTests.corpus.filter { $0.text.contains(w) }.count) }
        var last = Double.infinity
        for row in rows {
            let id = Int(row[0])!
            let headline = Folding.fold(a.headline.text[id])
            let body = Folding.fold(a.body[id])
            let hits = ["疫情", "防控"].reduce(0) { $0 + count($1, in: headline) + count($1, in: body) }
            XCTAssertEqual(Int(row[1]), hits, "hits of \(id)")
            var score = 0.0
            for (t, w) in ["疫情", "防控"].enumerated() {
                let tf = Double(3 * count(w, in: headline) + count(w, in: body))
                let idf = log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                let norm = 1.2 * (1 - 0.75 + 0.75 * Double(a.chars[id]) / avg)
                if tf > 0 { score += idf * tf * 2.2 / (tf + norm) }
            }
            XCTAssertEqual(Double(row[2])!, (score * 10_000).rounded() / 10_000, accuracy: 1e-9, "score of \(id)")
            XCTAssertLessThanOrEqual(Double(row[2])!, last)
            last = Double(row[2])!
        }
        XCTAssertEqual(
            ids("疫情 | where hits >= 5"),
            rows.compactMap { row -> Int? in
                let id = Int(row[0])!
                let h = count("疫情", in: Folding.fold(a.headline.text[id])) + count("疫情", in: Folding.fold(a.body[id]))
                return h >= 5 ? id : nil
            }.sorted())
    }

    // MARK: keyness and collocations

    func testTermsCountArticlesAndScoreByLogLikelihood() {
        let r = Fixtures.run("district:中牟县 | terms 30", format: .tsv)
        XCTAssertTrue(r.ok, r.err)
        let selected = Set(ids("district:中牟县"))
        let c = selected.count
        let d = SearchTests.corpus.count - c
        let rows = r.out.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        XCTAssertFalse(rows.isEmpty)
        var last = Double.infinity
        for row in rows {
            let term = row[0]
            // Counted in bodies only.
            let bodies = SearchTests.corpus.map { (id: $0.id, body: Folding.fold(Fixtures.store.articles.body[$0.id])) }
            let a = bodies.filter { selected.contains($0.id) && $0.body.contains(term) }.count
            let b = bodies.filter { !selected.contains($0.id) && $0.body.contains(term) }.count
            XCTAssertEqual(Int(row[1]), a, term)
            XCTAssertEqual(Int(row[2]), b, term)
            XCTAssertGreaterThanOrEqual(a, 3)
            XCTAssertGreaterThan(Double(a) / Double(c), Double(b) / Double(d), "\(term) is over-represented")
            XCTAssertFalse(term.unicodeScalars.contains { KeywordIndex.isSeparator($0.value) })
            let g2 = Double(row[3])!
            XCTAssertLessThanOrEqual(g2, last)
            last = g2
            // G² of the 2×2 table, written out.
            let n = Double(c + d)
            let held = Double(a + b)
            var expected = 0.0
            for (o, e) in [
                (Double(a), Double(c) * held / n), (Double(b), Double(d) * held / n),
                (Double(c - a), Double(c) * (n - held) / n), (Double(d - b), Double(d) * (n - held) / n),
            ] where o > 0 {
                expected += o * log(o / e)
            }
            XCTAssertEqual(g2, 2 * expected, accuracy: 1e-9, term)
        }
        let vs = Fixtures.run("district:中牟县 | terms 5 vs district:中原区", format: .tsv)
        XCTAssertTrue(vs.ok && vs.out.split(separator: "\n").count > 1, vs.err)
    }

    /// A side larger than the sample is counted in an evenly spaced sample of it: the
    /// counts shown are those of exactly those articles, on both sides, and the note says
    /// how many of how many were read. The other articles are sampled without being
    /// listed, so the k-th sampled one must be the k·d/s-th article not selected.
    func testTermsCountEvenlySpacedSamplesOfLargeSides() {
        let bodies = SearchTests.corpus.map { Folding.fold(Fixtures.store.articles.body[$0.id]) }
        func sample(_ rows: [Int], _ k: Int) -> [Int] {
            rows.count <= k ? rows : (0..<k).map { rows[$0 * rows.count / k] }
        }
        for (query, reference) in [("date:2020", nil), ("疫情", nil), ("date:2020", "的")] {
            let k = 6
            let r = Executor.$termsSample.withValue(k) {
                Fixtures.run(query + " | terms 50" + (reference.map { " vs " + $0 } ?? ""), format: .tsv)
            }
            XCTAssertTrue(r.ok, r.err)
            let selected = ids(query)
            let others = (reference.map { ids($0) } ?? Array(0..<bodies.count)).filter { !selected.contains($0) }
            let (target, refSample) = (sample(selected, k), sample(others, k))
            XCTAssertTrue(selected.count > k && others.count > k, "both sides are sampled")
            let rows = r.out.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
            XCTAssertFalse(rows.isEmpty, query)
            for row in rows {
                XCTAssertEqual(Int(row[1]), target.filter { bodies[$0].contains(row[0]) }.count, "\(query): \(row[0])")
                XCTAssertEqual(
                    Int(row[2]), refSample.filter { bodies[$0].contains(row[0]) }.count, "\(query): \(row[0])")
            }
            let note = Fixtures.run(query + " | terms 50" + (reference.map { " vs " + $0 } ?? "")).out
            XCTAssertTrue(note.contains("G² on article counts"), note)
            let sampledNote = Executor.$termsSample.withValue(k) {
                Fixtures.run(query + " | terms 5" + (reference.map { " vs " + $0 } ?? "")).out
            }
            XCTAssertTrue(
                sampledNote.contains("\(k) of \(selected.count) selected articles (an evenly spaced sample)")
                    && sampledNote.contains("\(k) of \(others.count)"), sampledNote)
        }
    }

    func testCollocCountsNeighboursOfEveryHit() {
        let r = Fixtures.run("| colloc 疫情 100", format: .tsv)
        XCTAssertTrue(r.ok, r.err)
        var expected: [String: Int] = [:]
        for doc in SearchTests.corpus {
            for line in doc.lines {
                let s = line
                guard s.count >= 2 else { continue }
                for i in 0...(s.count - 2) where String(String.UnicodeScalarView(s[i..<(i + 2)])) == "疫情" {
                    func side(_ r: Range<Int>) -> String? {
                        guard r.lowerBound >= 0, r.upperBound <= s.count,
                            !s[r].contains(where: { KeywordIndex.isSeparator($0.value) })
                        else { return nil }
                        return String(String.UnicodeScalarView(s[r]))
                    }
                    if let l = side((i - 2)..<i) { expected["left\t" + l, default: 0] += 1 }
                    if let rr = side((i + 2)..<(i + 4)) { expected["right\t" + rr, default: 0] += 1 }
                }
            }
        }
        var got: [String: Int] = [:]
        for line in r.out.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t")
            got[f[0] + "\t" + f[1]] = Int(f[2])!
        }
        XCTAssertEqual(got, expected)
    }

    // MARK: pages

    func testPagesAreFoundByCaptionsAndBanners() {
        let dates = ["2019-05-06", "2020-03-02", "2020-11-20", "2021-06-30", "2022-04-12"]
        let dated = CorpusLoader().load(
            pages: Seeds.pages.enumerated().map { k, p in (name: "zzrb-\(dates[k])-p\(k).txt", bytes: p.bytes) })
        let session = Session(store: dated)
        func sources(_ q: String) -> [String] {
            let r = Fixtures.run(q + " | show source", format: .tsv, session: session)
            XCTAssertTrue(r.ok, "\(q): \(r.err)")
            return r.out.split(separator: "\n").dropFirst().map(String.init)
        }
        let pages = dated.pages
        // Every caption and banner finds its own page, folded or not.
        for p in 0..<pages.count {
            let texts =
                (Int(pages.captionStart[p])..<Int(pages.captionStart[p + 1])).map { pages.captions[$0] }
                + (Int(pages.bannerStart[p])..<Int(pages.bannerStart[p + 1])).map { pages.banners[$0] }
            for t in texts {
                let q =
                    "pages \"" + SearchTests.traditionalSpelling(t).replacingOccurrences(of: "\"", with: "\\\"") + "\""
                XCTAssertTrue(sources(q).contains(pages.source[p]), q)
            }
        }
        XCTAssertEqual(sources("pages 国庆期间坚守岗位"), [pages.source[0]])
        XCTAssertEqual(sources("pages published:2020"), [pages.source[1], pages.source[2]])
        XCTAssertEqual(sources("pages published >= 2021-01-01"), [pages.source[3], pages.source[4]])
        XCTAssertEqual(sources("pages published >= 2021-01-01 -不忘初心"), [pages.source[4]])
        XCTAssertEqual(sources("pages source:zzrb-2022"), [pages.source[4]])
        XCTAssertEqual(sources("pages | sort published desc | limit 1"), [pages.source[4]])
        let count = Fixtures.run("pages | count by year", format: .tsv, session: session).out
        XCTAssertEqual(count, "year\tcount\n2019\t1\n2020\t2\n2021\t1\n2022\t1\n")
        for (q, message) in [
            ("pages district:中牟县", "pages have no field 'district'"), ("pages | kwic", "this stage reads articles"),
            ("pages /国庆/", "pages are searched by words"), ("pages | show title", "pages have no column 'title'"),
        ] {
            let r = Fixtures.run(q, session: session)
            XCTAssertFalse(r.ok, q)
            XCTAssertTrue(r.err.contains(message), "\(q): \(r.err)")
        }
    }
}
