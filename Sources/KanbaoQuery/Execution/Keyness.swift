// What is distinctive about a selection (`| terms`), and what surrounds a word
// (`| colloc`).
//
// `terms` compares document counts: in how many of the selected articles' bodies a
// string occurs (a) against how many of the reference articles' (b), out of c and d
// articles, scored by the log-likelihood G² of that 2×2 table (Dunning 1993) with the
// log ratio log2((a+½)/c ÷ (b+½)/d) as the effect size (Hardie 2014). Only strings more
// frequent in the selection are listed. Strings are two to four characters of folded
// text that cross no punctuation, space or line break.
//
// The pairs of characters are counted in the selection's bodies; how many reference
// articles hold a pair is read from the keyword index (its pair lists are exact), so the
// reference text is never read. The strongest pairs are then grown into the three- or
// four-character string that carries most of their occurrences (营商 → 营商环境), whose
// counts are taken exactly: in the selection by a second pass, in the reference from the
// index and the text of its candidates.
import Foundation
import KanbaoOutput
import KanbaoStore

/// Counts of n-grams (n ≤ 4 UTF-16 units, packed in a UInt64), each counted at most once
/// per article. Open addressing, linear probing.
struct GramCounter {
    private(set) var keys: [UInt64]
    private(set) var counts: [Int32]
    private var lastArticle: [Int32]
    private(set) var occupied = 0
    private var mask: Int

    init(capacity: Int = 1 << 12) {
        keys = [UInt64](repeating: 0, count: capacity)
        counts = [Int32](repeating: 0, count: capacity)
        lastArticle = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// Counts `key` (never 0) for `article`, unless it was counted for it already.
    @inline(__always) mutating func add(_ key: UInt64, article: Int32) {
        var i = GramCounter.slot(key, mask)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 {
            keys[i] = key
            occupied += 1
        }
        if lastArticle[i] != article {
            lastArticle[i] = article
            counts[i] += 1
        }
        if occupied * 2 > mask { grow() }
    }

    func count(_ key: UInt64) -> Int {
        var i = GramCounter.slot(key, mask)
        while keys[i] != 0 {
            if keys[i] == key { return Int(counts[i]) }
            i = (i + 1) & mask
        }
        return 0
    }

    private mutating func grow() {
        var bigger = GramCounter(capacity: keys.count * 2)
        for i in keys.indices where keys[i] != 0 {
            var j = GramCounter.slot(keys[i], bigger.mask)
            while bigger.keys[j] != 0 { j = (j + 1) & bigger.mask }
            bigger.keys[j] = keys[i]
            bigger.counts[j] = counts[i]
            bigger.lastArticle[j] = lastArticle[i]
        }
        bigger.occupied = occupied
        self = bigger
    }

    /// Every (key, count).
    var entries: [(key: UInt64, count: Int)] {
        keys.indices.compactMap { keys[$0] == 0 ? nil : (keys[$0], Int(counts[$0])) }
    }

    @inline(__always) static func pack(_ units: ArraySlice<UInt16>) -> UInt64 {
        units.reduce(0) { $0 << 16 | UInt64($1) }
    }

    static func text(_ key: UInt64, length: Int) -> String {
        let units = (0..<length).reversed().map { UInt16(truncatingIfNeeded: key >> (16 * UInt64($0))) }
        return String(decoding: units, as: UTF16.self)
    }
}

extension Executor {
    /// The sorted, distinct articles of a table's rows.
    func articles(_ s: SourceKind, _ sel: [Int32]) -> [Int32] {
        guard s == .figures else { return sel }
        var out: [Int32] = []
        for r in sel {
            let a = store.figures.article[Int(r)]
            if out.last != a { out.append(a) }
        }
        return out
    }

    /// Calls `body` with each run of units of an article's folded body that holds no
    /// punctuation, space, line break or surrogate (no string counted crosses one).
    func forEachRun(_ article: Int32, _ body: (ArraySlice<UInt16>) -> Void) {
        store.withSearchText(Int(article), part: 1) { _, folded in
            var start = 0
            var run: [UInt16] = []
            run.reserveCapacity(64)
            for i in 0...folded.count {
                let u: UInt16 = i < folded.count ? folded[i] : 0x0A
                if u == 0x0A || u & 0xF800 == 0xD800 || KeywordIndex.isSeparator(UInt32(u)) {
                    if run.count >= 2 { body(run[...]) }
                    run.removeAll(keepingCapacity: true)
                    start = i + 1
                } else {
                    run.append(u)
                }
            }
            _ = start
        }
    }

    /// G² of the 2×2 table: a of c selected articles hold the string, b of d others.
    static func logLikelihood(a: Int, b: Int, c: Int, d: Int) -> Double {
        let n = Double(c + d)
        let held = Double(a + b)
        func term(_ o: Double, _ e: Double) -> Double { o > 0 && e > 0 ? o * Foundation.log(o / e) : 0 }
        let cells = [
            (Double(a), Double(c) * held / n), (Double(b), Double(d) * held / n),
            (Double(c - a), Double(c) * (n - held) / n), (Double(d - b), Double(d) * (n - held) / n),
        ]
        return 2 * cells.reduce(0) { $0 + term($1.0, $1.1) }
    }

    static func logRatio(a: Int, b: Int, c: Int, d: Int) -> Double {
        Foundation.log2(((Double(a) + 0.5) / Double(Swift.max(c, 1))) / ((Double(b) + 0.5) / Double(Swift.max(d, 1))))
    }

    static let termsMinimumCount = 3

    /// Function characters a listed string may not start or end with: without word
    /// segmentation, 的大 and 和市 are pairs that straddle two words, and these particles,
    /// conjunctions and prepositions are what they straddle with. (A string may hold one
    /// inside: 党的建设.)
    static let edgeStoplist: Set<UInt16> = Set("的了着和与及或等也就都而并对为将把被从向于之其这那是在".utf16)

    @inline(__always) static func mayList(_ gram: ArraySlice<UInt16>) -> Bool {
        !edgeStoplist.contains(gram.first!) && !edgeStoplist.contains(gram.last!)
    }

    func terms(_ selected: [Int32], _ n: Int, reference: [Int32]?) throws -> ResultTable {
        let all = store.articles.count
        // The reference: the given articles not selected, or every article not selected.
        let others = reference.map { KeywordIndex.subtract(articles(.articles, $0), selected) }
        let c = selected.count
        let d = others?.count ?? (all - c)
        var result = ResultTable(columns: ["term", "selected", "reference", "g2", "log_ratio"], rows: [])
        result.twoDecimals = [3, 4]
        let against = reference == nil ? "the \(d) other articles" : "\(d) reference articles"
        guard c > 0, d > 0 else {
            result.note = "no strings to compare: \(c) selected articles against \(against)"
            return result
        }
        // Pass 1: pairs, once per selected article.
        var pairs = GramCounter(capacity: 1 << 16)
        for (k, a) in selected.enumerated() {
            if k & 255 == 0 { try check() }
            forEachRun(a) { run in
                var i = run.startIndex
                while i + 1 < run.endIndex {
                    if Executor.mayList(run[i...(i + 1)]) { pairs.add(GramCounter.pack(run[i...(i + 1)]), article: a) }
                    i += 1
                }
            }
        }
        /// How many reference articles hold `text` (exact: pair lists need no reading;
        /// longer strings have their candidates' text read).
        func referenceCount(_ text: String, selectedCount: Int) throws -> Int {
            if let others {
                let (rows, exact) = candidateRows(text, .body, within: others)
                return exact ? rows.count : try verifyBodies(rows, SearchNeedle(text)).count
            }
            let holding = text.utf16.count == 2 ? store.bodyIndex.postingCount(text) : try postings(text, .body).count
            return Swift.max(0, holding - selectedCount)
        }
        struct Scored {
            var text: String
            var a: Int, b: Int
            var g2: Double
        }
        func scored(_ text: String, _ a: Int, _ b: Int) -> Scored? {
            // Only strings more frequent in the selection than in the reference.
            guard Double(a) / Double(c) > Double(b) / Double(d) else { return nil }
            return Scored(text: text, a: a, b: b, g2: Executor.logLikelihood(a: a, b: b, c: c, d: d))
        }
        var candidates: [(key: UInt64, scored: Scored)] = []
        for (k, (key, a)) in pairs.entries.enumerated() where a >= Executor.termsMinimumCount {
            if k & 1023 == 0 { try check() }
            let text = GramCounter.text(key, length: 2)
            if let s = scored(text, a, try referenceCount(text, selectedCount: a)) { candidates.append((key, s)) }
        }
        candidates.sort { $0.scored.g2 > $1.scored.g2 }
        let top = Array(candidates.prefix(2 * n))
        // Pass 2: the three- and four-character strings that hold a top pair.
        let topKeys = Set(top.map(\.key))
        var longer = [GramCounter(capacity: 1 << 12), GramCounter(capacity: 1 << 12)]
        for (k, a) in selected.enumerated() {
            if k & 255 == 0 { try check() }
            forEachRun(a) { run in
                var i = run.startIndex
                while i + 2 < run.endIndex {
                    for length in 3...4 where i + length <= run.endIndex {
                        let gram = run[i..<(i + length)]
                        var holds = false
                        for j in gram.startIndex..<(gram.endIndex - 1)
                        where topKeys.contains(GramCounter.pack(gram[j...(j + 1)])) {
                            holds = true
                            break
                        }
                        if holds && Executor.mayList(gram) {
                            longer[length - 3].add(GramCounter.pack(gram), article: a)
                        }
                    }
                    i += 1
                }
            }
        }
        // Each top pair grows into the longest string that holds at least three quarters
        // of its articles (the most frequent such string).
        let grown: [[(text: String, count: Int)]] = longer.enumerated().map { length, counter in
            counter.entries.filter { $0.count >= Executor.termsMinimumCount }.map {
                (GramCounter.text($0.key, length: length + 3), $0.count)
            }
        }
        var chosen: [Scored] = []
        var seen = Set<String>()
        for (_, pair) in top {
            try check()
            var best: (text: String, count: Int)?
            for length in [1, 0] where best == nil {
                for g in grown[length] where g.text.contains(pair.text) && 4 * g.count >= 3 * pair.a {
                    if best == nil || g.count > best!.count || (g.count == best!.count && g.text < best!.text) {
                        best = g
                    }
                }
            }
            var s = pair
            if let g = best,
                let grownScore = scored(g.text, g.count, try referenceCount(g.text, selectedCount: g.count))
            {
                s = grownScore
            }
            if seen.insert(s.text).inserted { chosen.append(s) }
        }
        // A pair inside a longer string listed already says nothing more.
        chosen = chosen.filter { s in !chosen.contains { $0.text.count > s.text.count && $0.text.contains(s.text) } }
        chosen.sort { $0.g2 != $1.g2 ? $0.g2 > $1.g2 : $0.text < $1.text }
        result.rows = chosen.prefix(n).map { s in
            [
                .text(s.text), .int(s.a), .int(s.b), .double(s.g2),
                .double(Executor.logRatio(a: s.a, b: s.b, c: c, d: d)),
            ]
        }
        result.note =
            "G² on article counts: \(c) selected articles against \(against); bodies, folded; in at least \(Executor.termsMinimumCount) selected articles"
        return result
    }

    /// The `n` most frequent two-character neighbours on each side of `term` in the
    /// articles' headline lines and bodies (folded, within a run without punctuation).
    func colloc(_ selected: [Int32], _ term: String, _ n: Int) throws -> ResultTable {
        let needle = Array(term.utf16)
        var left: [String: Int] = [:]
        var right: [String: Int] = [:]
        var hits = 0
        func word(_ text: UnsafeBufferPointer<UInt16>, _ r: Range<Int>) -> String? {
            guard r.lowerBound >= 0, r.upperBound <= text.count else { return nil }
            for i in r {
                let u = text[i]
                if u == 0x0A || u & 0xF800 == 0xD800 || KeywordIndex.isSeparator(UInt32(u)) { return nil }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: text[r]), as: UTF16.self)
        }
        for (k, a) in selected.enumerated() {
            if k & 255 == 0 { try check() }
            for part in 0..<2 {
                store.withSearchText(Int(a), part: part) { _, folded in
                    for span in TextMatcher.occurrences(needle, in: folded) {
                        hits += 1
                        if let w = word(folded, (span.lowerBound - 2)..<span.lowerBound) { left[w, default: 0] += 1 }
                        if let w = word(folded, span.upperBound..<(span.upperBound + 2)) { right[w, default: 0] += 1 }
                    }
                }
            }
        }
        var result = ResultTable(columns: ["side", "neighbour", "count"], rows: [])
        for (side, counts) in [("left", left), ("right", right)] {
            let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n)
            result.rows += top.map { [.text(side), .text($0.key), .int($0.value)] }
        }
        result.note =
            "\(hits) hits of “\(term)” in the \(selected.count) articles searched; two characters either side, folded"
        return result
    }
}
