// What is distinctive about a selection (`| terms`), and what surrounds a word
// (`| colloc`).
//
// `terms` compares document counts: in how many of the selected articles' bodies a
// string occurs (a) against how many of the reference articles' (b), out of c and d
// articles, scored by the log-likelihood G² of that 2×2 table (Dunning 1993) with the
// log ratio log2((a+½)/c ÷ (b+½)/d) as the effect size (Hardie 2014). Only strings more
// frequent in the selection are listed. Strings are two to four characters of folded
// text that cross no punctuation, space or line break, and neither start nor end with a
// particle (edgeStoplist).
//
// Both sides are counted from their text. A side of more than `termsSample` articles is
// counted in an evenly spaced sample of that many (the note says so): reading every body
// of a selection that holds half a million articles takes seconds, a sample of two
// thousand milliseconds, and G² on the sample's counts is the statistic corpus linguists
// compute on a sampled subcorpus. Every count shown is the count in what was read.
import Foundation
import KanbaoOutput
import KanbaoStore

/// Counts of n-grams (n ≤ 4 UTF-16 units, packed in a UInt64), each counted at most once
/// per article. Open addressing, linear probing, each entry's key, count and last article
/// in 16 bytes: an add touches one cache line.
final class GramCounter: @unchecked Sendable {
    struct Entry {
        var key: UInt64
        var count: Int32
        var lastArticle: Int32
    }

    private var table: UnsafeMutablePointer<Entry>
    private var mask: Int
    private(set) var occupied = 0

    init(capacity: Int = 1 << 12) {
        table = .allocate(capacity: capacity)
        table.initialize(repeating: Entry(key: 0, count: 0, lastArticle: -1), count: capacity)
        mask = capacity - 1
    }

    deinit { table.deallocate() }

    @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// Counts `key` (never 0) for `article`, unless it was counted for it already.
    @inline(__always) func add(_ key: UInt64, article: Int32) {
        var i = GramCounter.slot(key, mask)
        while table[i].key != 0 && table[i].key != key { i = (i + 1) & mask }
        if table[i].key == 0 {
            table[i].key = key
            occupied += 1
        }
        if table[i].lastArticle != article {
            table[i].lastArticle = article
            table[i].count += 1
        }
        if occupied * 2 > mask { grow() }
    }

    func count(_ key: UInt64) -> Int {
        var i = GramCounter.slot(key, mask)
        while table[i].key != 0 {
            if table[i].key == key { return Int(table[i].count) }
            i = (i + 1) & mask
        }
        return 0
    }

    private func grow() {
        let old = table
        let oldSize = mask + 1
        let size = oldSize * 2
        table = .allocate(capacity: size)
        table.initialize(repeating: Entry(key: 0, count: 0, lastArticle: -1), count: size)
        mask = size - 1
        for i in 0..<oldSize where old[i].key != 0 {
            var j = GramCounter.slot(old[i].key, mask)
            while table[j].key != 0 { j = (j + 1) & mask }
            table[j] = old[i]
        }
        old.deallocate()
    }

    /// Every (key, count).
    var entries: [(key: UInt64, count: Int)] {
        (0...mask).compactMap { table[$0].key == 0 ? nil : (table[$0].key, Int(table[$0].count)) }
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
    /// The sorted, distinct articles of a table's rows (figures are stored in article
    /// order, so their articles come sorted and are deduplicated in one pass).
    func articles(_ s: SourceKind, _ sel: [Int32]) -> [Int32] {
        guard s == .figures else { return sel }
        var out: [Int32] = []
        for r in sel {
            let a = store.figures.article[Int(r)]
            if out.last != a { out.append(a) }
        }
        return out
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
    /// Articles read on each side at most (an evenly spaced sample beyond); tests make it
    /// small so that the seeds are sampled.
    @TaskLocal public static var termsSample = 2000

    /// Function characters a listed string may not start or end with: without word
    /// segmentation, 的大 and 和市 are pairs that straddle two words, and these particles,
    /// conjunctions and prepositions are what they straddle with. (A string may hold one
    /// inside: 党的建设.)
    static let edgeStoplist = "的了着和与及或等也就都而并对为将把被从向于之其这那是在"

    /// Per UTF-16 unit: 1 if it may be part of a listed string, 2 if it may also start or
    /// end one. Punctuation, spaces, line breaks and surrogates are 0.
    nonisolated(unsafe) static let unitClass: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        for u in 0..<0x10000 {
            let inside = u != 0x0A && u & 0xF800 != 0xD800 && !KeywordIndex.isSeparator(UInt32(u))
            t[u] = inside ? 2 : 0
        }
        for u in edgeStoplist.utf16 { t[Int(u)] = 1 }
        return UnsafePointer(t)
    }()

    /// About `k` of `rows`, evenly spaced (all of them when there are no more).
    static func evenSample(_ rows: [Int32], _ k: Int) -> [Int32] {
        guard rows.count > k else { return rows }
        return (0..<k).map { rows[$0 * rows.count / k] }
    }

    /// The 2–4-unit strings of the articles' folded bodies, each counted once per article.
    /// Stops early (with partial counts) if the query is cancelled: the caller checks.
    static func countGrams(_ articles: [Int32], _ store: Store, _ cancel: CancellationFlag?) -> [GramCounter] {
        let counters = [GramCounter(capacity: 1 << 16), GramCounter(capacity: 1 << 16), GramCounter(capacity: 1 << 16)]
        let cls = Executor.unitClass
        for (k, a) in articles.enumerated() {
            if k & 255 == 0, let c = cancel, c.isCancelled { break }
            store.withSearchText(Int(a), part: 1) { _, u in
                var run = 0 // units since the last unit that cannot be inside a string
                var key: UInt64 = 0
                for i in 0..<u.count {
                    let x = u[i]
                    let c = cls[Int(x)]
                    if c == 0 {
                        run = 0
                        continue
                    }
                    key = key << 16 | UInt64(x)
                    run += 1
                    // The strings ending here, of two to four units, that may end with x.
                    guard c == 2, run >= 2 else { continue }
                    for length in 2...Swift.min(4, run) {
                        let first = u[i - length + 1]
                        guard cls[Int(first)] == 2 else { continue }
                        let mask: UInt64 = length == 4 ? ~0 : (1 << UInt64(16 * length)) - 1
                        counters[length - 2].add(key & mask, article: a)
                    }
                }
            }
        }
        return counters
    }

    func terms(_ selected: [Int32], _ n: Int, reference: [Int32]?) throws -> ResultTable {
        let all = store.articles.count
        let sample = Executor.termsSample
        // The reference: the given articles not selected, or every article not selected
        // (sampled straight from the row numbers, without listing them all).
        let targetSample = Executor.evenSample(selected, sample)
        let referenceCount: Int
        let referenceSample: [Int32]
        if let reference {
            let others = KeywordIndex.subtract(articles(.articles, reference), selected)
            referenceCount = others.count
            referenceSample = Executor.evenSample(others, sample)
        } else {
            referenceCount = all - selected.count
            var picked: [Int32] = []
            let want = Swift.min(sample, referenceCount)
            picked.reserveCapacity(want)
            // The j-th other article is row j plus the selected rows before it.
            var s = 0
            var j = 0
            for k in 0..<want {
                let target = k * referenceCount / want
                while j < target || (s < selected.count && Int(selected[s]) <= j + s) {
                    if s < selected.count && Int(selected[s]) <= j + s { s += 1 } else { j += 1 }
                }
                picked.append(Int32(j + s))
            }
            referenceSample = picked
        }
        var result = ResultTable(columns: ["term", "selected", "reference", "g2", "log_ratio"], rows: [])
        result.twoDecimals = [3, 4]
        let c = targetSample.count
        let d = referenceSample.count
        func side(_ read: Int, _ total: Int, _ what: String) -> String {
            read == total ? "\(total) \(what)" : "\(read) of \(total) \(what) (an evenly spaced sample)"
        }
        let against = side(d, referenceCount, reference == nil ? "other articles" : "reference articles")
        guard c > 0, d > 0 else {
            result.note = "no strings to compare: \(selected.count) selected articles against \(referenceCount) others"
            return result
        }
        // The two sides on the two cores.
        let (store, cancel) = (self.store, self.cancel)
        let sides = Parallel.map(count: 2) { k in
            SharedParts(Executor.countGrams(k == 0 ? targetSample : referenceSample, store, cancel))
        }
        try check()
        let (target, ref) = (sides[0].value, sides[1].value)
        struct Scored {
            var text: String
            var a: Int, b: Int
            var g2: Double
        }
        // A string that is nearly always part of a longer one is that longer string: 公共
        // in eight articles, 公共服务 in six of them, lists 公共服务 (a gram is subsumed when
        // a longer gram holding it is in three quarters of its articles).
        var subsumed = Set<UInt64>()
        for length in 3...4 {
            try check()
            for (key, a) in target[length - 2].entries where a >= Executor.termsMinimumCount {
                for inner in 2..<length {
                    for offset in 0...(length - inner) {
                        let part = key >> UInt64(16 * offset) & ((1 << UInt64(16 * inner)) - 1)
                        if 4 * a >= 3 * target[inner - 2].count(part) { subsumed.insert(part << 8 | UInt64(inner)) }
                    }
                }
            }
        }
        var scored: [Scored] = []
        for length in 2...4 {
            try check()
            for (key, a) in target[length - 2].entries
            where a >= Executor.termsMinimumCount && !subsumed.contains(key << 8 | UInt64(length)) {
                let b = ref[length - 2].count(key)
                // Only strings more frequent in the selection than in the reference.
                guard a * d > b * c else { continue }
                scored.append(
                    Scored(
                        text: GramCounter.text(key, length: length), a: a, b: b,
                        g2: Executor.logLikelihood(a: a, b: b, c: c, d: d)))
            }
        }
        // Highest G² first; equal scores (to rounding: 公共服务 and 共服务 in the same articles)
        // longest first, then in text order.
        scored.sort { x, y in
            if abs(x.g2 - y.g2) > 1e-9 * Swift.max(1, x.g2) { return x.g2 > y.g2 }
            return x.text.count != y.text.count ? x.text.count > y.text.count : x.text < y.text
        }
        // A string inside (or around) one listed already says little more: 营商环境 then
        // not 营商 nor 商环境.
        var chosen: [Scored] = []
        for s in scored {
            if chosen.count == n { break }
            if chosen.contains(where: { $0.text.contains(s.text) || s.text.contains($0.text) }) { continue }
            chosen.append(s)
        }
        result.rows = chosen.map { s in
            [
                .text(s.text), .int(s.a), .int(s.b), .double(s.g2),
                .double(Executor.logRatio(a: s.a, b: s.b, c: c, d: d)),
            ]
        }
        result.note =
            "G² on article counts: \(side(c, selected.count, "selected articles")) against \(against); bodies, folded; in at least \(Executor.termsMinimumCount) selected articles"
        return result
    }

    /// The `n` most frequent two-character neighbours on each side of `term` in the
    /// articles' headline lines and bodies (folded, within a run without punctuation).
    func colloc(_ selected: [Int32], _ term: String, _ n: Int) throws -> ResultTable {
        let needle = Array(term.utf16)
        var left: [String: Int] = [:]
        var right: [String: Int] = [:]
        var hits = 0
        var holding = 0
        func word(_ text: UnsafeBufferPointer<UInt16>, _ r: Range<Int>) -> String? {
            guard r.lowerBound >= 0, r.upperBound <= text.count else { return nil }
            for i in r {
                let u = text[i]
                if u == 0x0A || u & 0xF800 == 0xD800 || KeywordIndex.isSeparator(UInt32(u)) { return nil }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: text[r]), as: UTF16.self)
        }
        // Only the articles whose index lists can hold the term are read.
        let candidates = candidateRows(term, .any, within: selected).0
        for (k, a) in candidates.enumerated() {
            if k & 255 == 0 { try check() }
            var held = false
            for part in 0..<2 {
                store.withSearchText(Int(a), part: part) { _, folded in
                    for span in TextMatcher.occurrences(needle, in: folded) {
                        held = true
                        hits += 1
                        if let w = word(folded, (span.lowerBound - 2)..<span.lowerBound) { left[w, default: 0] += 1 }
                        if let w = word(folded, span.upperBound..<(span.upperBound + 2)) { right[w, default: 0] += 1 }
                    }
                }
            }
            if held { holding += 1 }
        }
        var result = ResultTable(columns: ["side", "neighbour", "count"], rows: [])
        for (side, counts) in [("left", left), ("right", right)] {
            let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n)
            result.rows += top.map { [.text(side), .text($0.key), .int($0.value)] }
        }
        result.note =
            "\(hits) hits of “\(term)” in \(holding) of the \(selected.count) articles; two characters either side, folded"
        return result
    }
}
