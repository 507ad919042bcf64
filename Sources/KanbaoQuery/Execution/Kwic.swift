// Keyword in context: each hit of the query's words, with the text either side.
//
// Hits are found in the UTF-8 bytes in place (a match of valid UTF-8 in valid UTF-8
// starts and ends on character boundaries), and only the contexts of the hits shown are
// decoded. Under a limit the scan stops once enough hits are shown: `文明城市 | kwic |
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
        _ s: SourceKind, _ sel: [Int32], _ terms: [String], _ width: Int, limit: Int? = nil, unverified: Bool = false
    ) throws -> ResultTable {
        let access = ColumnAccess(store: store, source: s)
        let needles8 = terms.map { Array($0.utf8) }
        let needles16 = terms.map { Array($0.utf16) }
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
            // Hits count and show wherever the query can match: the headline lines first
            // (UTF-8), then the body (UTF-16), each hit with the text either side within
            // its own part.
            func show(_ hits: [(Int, Int)], _ context: (Int, Int) -> (String, String)) {
                hitCount += hits.count
                for (start, t) in hits {
                    if let n = limit, rows.count >= n { break }
                    let (left, right) = context(start, t)
                    rows.append([.int(i), .text(store.articles.title[i]), .text(left), .text(terms[t]), .text(right)])
                }
            }
            var found = false
            store.articles.headline.text.withBytes(i) { text in
                let hits = Executor.hits(of: needles8, in: text) { h, n, from in
                    findBytes(UnsafeRawPointer(h.baseAddress! + from), h.count - from, n.baseAddress!, n.count).map {
                        $0 - UnsafeRawPointer(h.baseAddress!)
                    }
                }
                found = found || !hits.isEmpty
                show(hits) { start, t in
                    (
                        Executor.context(text, before: start, characters: width, isContinuation: { $0 & 0xC0 == 0x80 }),
                        Executor.context(
                            text, after: start + needles8[t].count, characters: width,
                            isContinuation: { $0 & 0xC0 == 0x80 })
                    )
                }
            }
            store.articles.body.withUnits(i) { text in
                let hits = Executor.hits(of: needles16, in: text) { h, n, from in UTF16Text.find(h, n, from: from) }
                found = found || !hits.isEmpty
                show(hits) { start, t in
                    (
                        Executor.context(text, before: start, characters: width, isContinuation: UTF16Text.isTrail),
                        Executor.context(
                            text, after: start + needles16[t].count, characters: width,
                            isContinuation: UTF16Text.isTrail)
                    )
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

    /// Every hit of each needle (non-overlapping, left to right), in text order; ties (two
    /// terms at one place) in the terms' order. Each hit: its offset and the term.
    static func hits<U>(
        of needles: [[U]], in text: UnsafeBufferPointer<U>,
        find: (UnsafeBufferPointer<U>, UnsafeBufferPointer<U>, Int) -> Int?
    ) -> [(Int, Int)] {
        var hits: [(Int, Int)] = []
        guard text.baseAddress != nil else { return hits }
        for (t, needle) in needles.enumerated() where !needle.isEmpty {
            needle.withUnsafeBufferPointer { n in
                var from = 0
                while from + n.count <= text.count, let at = find(text, n, from) {
                    hits.append((at, t))
                    from = at + n.count
                }
            }
        }
        if needles.count > 1 { hits.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 } }
        return hits
    }

    /// Up to `characters` characters ending at unit `end`, line breaks as spaces; a unit
    /// for which `isContinuation` holds is inside a character, not its start.
    static func context<U: UnsignedInteger>(
        _ text: UnsafeBufferPointer<U>, before end: Int, characters: Int, isContinuation: (U) -> Bool
    ) -> String {
        var start = end
        var left = characters
        while left > 0 && start > 0 {
            start -= 1
            while start > 0 && isContinuation(text[start]) { start -= 1 }
            left -= 1
        }
        return spaced(text, start..<end)
    }

    /// Up to `characters` characters starting at unit `start`, line breaks as spaces.
    static func context<U: UnsignedInteger>(
        _ text: UnsafeBufferPointer<U>, after start: Int, characters: Int, isContinuation: (U) -> Bool
    ) -> String {
        var end = start
        var left = characters
        while left > 0 && end < text.count {
            end += 1
            while end < text.count && isContinuation(text[end]) { end += 1 }
            left -= 1
        }
        return spaced(text, start..<end)
    }

    static func spaced<U: UnsignedInteger>(_ text: UnsafeBufferPointer<U>, _ range: Range<Int>) -> String {
        let part = UnsafeBufferPointer(rebasing: text[range])
        let s: String
        if let u8 = part as? UnsafeBufferPointer<UInt8> {
            s = String(decoding: u8, as: UTF8.self)
        } else {
            s = String(decoding: part as! UnsafeBufferPointer<UInt16>, as: UTF16.self)
        }
        return s.utf8.contains(0x0A) ? String(s.unicodeScalars.map { $0 == "\n" ? " " : Character($0) }) : s
    }
}
