// Keyword in context: each hit of the query's words, with the text either side.
//
// Hits are found in each part's UTF-16 units (the body's in place; a row folding changes
// is searched in a folded copy, whose positions are the same), and only the contexts of
// the hits shown are decoded. Under a limit the scan stops once enough hits are shown: `文明城市 | kwic |
// limit 100` reads a hundred articles, not every article that holds the phrase.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    // MARK: keyword in context

    /// `unverified`: `sel` are a keyword's index candidates, some of which may not hold
    /// it (an article without a hit is passed over, and the ones not read are counted
    /// as candidates, not matches).
    func kwic(
        _ s: SourceKind, _ sel: [Int32], _ terms: [SearchTerm], _ width: Int, limit: Int? = nil,
        unverified: Bool = false
    ) throws -> ResultTable {
        let access = access(s)
        let matchers = terms.map(TextMatcher.init)
        let kinds = matchers.reduce(0) { $0 | $1.foldKinds }
        var rows: [[Cell]] = []
        var hitCount = 0
        var articlesWithHits = 0
        var articlesRead = 0
        var articlesLeft = 0
        // Selections are sorted by row, and figure rows by their article: an article
        // repeats only right after itself.
        var previous = -1
        for (at, r) in sel.enumerated() {
            let i = access.article(r)
            guard i != previous else { continue }
            previous = i
            if let n = limit, rows.count >= n {
                // The articles not read: the rest of the selection, counted once each.
                if s == .articles {
                    articlesLeft = sel.count - at
                } else {
                    var last = -1
                    for f in sel[at...] where access.article(f) != last {
                        last = access.article(f)
                        articlesLeft += 1
                    }
                }
                break
            }
            if articlesRead & 255 == 0 { try check() }
            articlesRead += 1
            // Hits count and show wherever the query can match: the headline lines first,
            // then the body, each hit with the text either side within its own part. The
            // terms are found in the folded text and shown as printed.
            var found = false
            for part in 0..<2 {
                store.withSearchText(i, part: part, kinds: kinds) { printed, folded in
                    let hits = Executor.hits(of: matchers, printed, folded)
                    found = found || !hits.isEmpty
                    hitCount += hits.count
                    for (span, _) in hits {
                        if let n = limit, rows.count >= n { break }
                        let left = Executor.context(
                            printed, before: span.lowerBound, characters: width)
                        let right = Executor.context(
                            printed, after: span.upperBound, characters: width)
                        rows.append([
                            .int(i), .text(store.articles.title[i]), .text(left),
                            .text(Executor.spaced(printed, span)), .text(right),
                        ])
                    }
                }
            }
            if found { articlesWithHits += 1 }
        }
        var t = ResultTable(columns: ["id", "title", "left", "keyword", "right"], rows: rows)
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if articlesLeft > 0 {
            let read = articlesWithHits == 1 ? "the first article" : "the first \(articlesWithHits) articles"
            let left =
                unverified
                ? "at most \(plural(articlesLeft, "more matching article"))"
                : plural(articlesLeft, "more matching article")
            t.note = "\(plural(hitCount, "hit")) in \(read); \(left) not read (limit \(limit!))"
        } else {
            t.note = "\(plural(hitCount, "hit")) in \(plural(articlesWithHits, "article"))"
        }
        return t
    }

    /// Every match of each term in one part (not overlapping within a term), in text
    /// order; ties (two terms at one place) in the terms' order. Each: its span and term.
    static func hits(
        of matchers: [TextMatcher], _ printed: UnsafeBufferPointer<UInt16>, _ folded: UnsafeBufferPointer<UInt16>
    ) -> [(Range<Int>, Int)] {
        var hits: [(Range<Int>, Int)] = []
        guard printed.baseAddress != nil else { return hits }
        for (t, m) in matchers.enumerated() {
            for span in m.spans(printed, folded) { hits.append((span, t)) }
        }
        if matchers.count > 1 {
            hits.sort { $0.0.lowerBound != $1.0.lowerBound ? $0.0.lowerBound < $1.0.lowerBound : $0.1 < $1.1 }
        }
        return hits
    }

    /// Up to `characters` characters ending at unit `end`, line breaks as spaces (a trail
    /// surrogate is inside a character, not its start).
    static func context(
        _ text: UnsafeBufferPointer<UInt16>, before end: Int, characters: Int
    ) -> String {
        var start = end
        var left = characters
        while left > 0 && start > 0 {
            start -= 1
            while start > 0 && UTF16Text.isTrail(text[start]) { start -= 1 }
            left -= 1
        }
        return spaced(text, start..<end)
    }

    /// Up to `characters` characters starting at unit `start`, line breaks as spaces.
    static func context(
        _ text: UnsafeBufferPointer<UInt16>, after start: Int, characters: Int
    ) -> String {
        var end = start
        var left = characters
        while left > 0 && end < text.count {
            end += 1
            while end < text.count && UTF16Text.isTrail(text[end]) { end += 1 }
            left -= 1
        }
        return spaced(text, start..<end)
    }

    static func spaced(_ text: UnsafeBufferPointer<UInt16>, _ range: Range<Int>) -> String {
        let s = String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF16.self)
        return s.utf8.contains(0x0A) ? String(s.unicodeScalars.map { $0 == "\n" ? " " : Character($0) }) : s
    }
}
