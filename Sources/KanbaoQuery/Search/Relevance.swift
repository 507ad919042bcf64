// Relevance of an article to the query's search terms: `hits`, how often the terms occur
// in its headline lines and body, and `score`, BM25 over the terms (as Lucene scores:
// idf = ln(1 + (N − df + ½) / (df + ½)), k1 = 1.2, b = 0.75, the length in characters),
// a hit in the headline counting as `headlineWeight` hits in the body.
//
// Document frequencies are counted over the whole corpus once per query, when the
// Relevance operator runs; an article's counts are read from its text when a later stage
// asks for them.
import Foundation
import KanbaoStore

public struct Relevance: Sendable {
    let store: Store
    let matchers: [TextMatcher]
    /// Per term: its inverse document frequency.
    let idf: [Double]
    let averageLength: Double
    let foldKinds: UInt8

    static let k1 = 1.2
    static let b = 0.75
    static let headlineWeight = 3

    /// `documentFrequency[t]`: how many articles hold term t.
    init(store: Store, terms: [SearchTerm], documentFrequency: [Int]) {
        self.store = store
        matchers = terms.map(TextMatcher.init)
        foldKinds = matchers.reduce(0) { $0 | $1.foldKinds }
        let n = Double(store.articles.count)
        idf = documentFrequency.map { df in Foundation.log(1 + (n - Double(df) + 0.5) / (Double(df) + 0.5)) }
        averageLength = store.derived.value("average chars") {
            store.articles.chars.withUnsafeBufferPointer { c in
                c.isEmpty ? 0 : Double(c.reduce(0) { $0 + Int($1) }) / Double(c.count)
            }
        }
    }

    /// Per term: (hits in the headline lines, hits in the body). A keyword is counted in
    /// the text in place — the headline's UTF-8 bytes, the body's UTF-16 units — unless the
    /// row must be folded for it; other terms (and those rows) read the part's units.
    func counts(_ article: Int) -> [(headline: Int, body: Int)] {
        var out = [(headline: Int, body: Int)](repeating: (0, 0), count: matchers.count)
        var slow: [Int] = []
        for (t, m) in matchers.enumerated() {
            guard case .keyword = m.term, let n = m.needles.first,
                !store.titleIndex.mustFold(article, for: n.kinds), !store.bodyIndex.mustFold(article, for: n.kinds)
            else {
                slow.append(t)
                continue
            }
            out[t].headline = store.articles.headline.text.withBytes(article) { Relevance.count(n.utf8, in: $0) }
            out[t].body = store.articles.body.withUnits(article) { Relevance.count(n.utf16, in: $0) }
        }
        if slow.isEmpty { return out }
        for part in 0..<2 {
            store.withSearchText(article, part: part, kinds: foldKinds) { printed, folded in
                for t in slow {
                    let n = matchers[t].spans(printed, folded).count
                    if part == 0 { out[t].headline = n } else { out[t].body = n }
                }
            }
        }
        return out
    }

    /// Non-overlapping occurrences of `needle` in UTF-8 bytes (a match of valid UTF-8 in
    /// valid UTF-8 starts on a character, so the count is the characters' count).
    static func count(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Int {
        guard !needle.isEmpty, let base = hay.baseAddress else { return 0 }
        return needle.withUnsafeBytes { n in
            var k = 0
            var from = 0
            while from + n.count <= hay.count,
                let p = findBytes(UnsafeRawPointer(base) + from, hay.count - from, n.baseAddress!, n.count)
            {
                k += 1
                from = p - UnsafeRawPointer(base) + n.count
            }
            return k
        }
    }

    /// Non-overlapping occurrences of `needle` in UTF-16 units.
    static func count(_ needle: [UInt16], in hay: UnsafeBufferPointer<UInt16>) -> Int {
        guard !needle.isEmpty else { return 0 }
        return needle.withUnsafeBufferPointer { n in
            var k = 0
            var from = 0
            while from + n.count <= hay.count, let at = UTF16Text.find(hay, n, from: from) {
                k += 1
                from = at + n.count
            }
            return k
        }
    }

    func hits(_ article: Int) -> Int { counts(article).reduce(0) { $0 + $1.headline + $1.body } }

    func score(_ article: Int) -> Double {
        let length = Double(store.articles.chars[article])
        let norm = Relevance.k1 * (1 - Relevance.b + Relevance.b * length / Swift.max(averageLength, 1))
        var s = 0.0
        for (t, c) in counts(article).enumerated() {
            let tf = Double(c.headline * Relevance.headlineWeight + c.body)
            if tf > 0 { s += idf[t] * tf * (Relevance.k1 + 1) / (tf + norm) }
        }
        return s
    }
}
