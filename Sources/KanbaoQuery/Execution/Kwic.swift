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

    func kwic(_ s: SourceKind, _ sel: [Int32], _ terms: [String], _ width: Int, limit: Int? = nil) throws
        -> ResultTable
    {
        let access = ColumnAccess(store: store, source: s)
        let needles = terms.map { Array($0.utf8) }
        var seen = Set<Int>()
        var rows: [[Cell]] = []
        var hitCount = 0
        var articlesWithHits = 0
        var articlesRead = 0
        var articlesLeft = 0
        for r in sel {
            let i = access.article(r)
            guard seen.insert(i).inserted else { continue }
            if let n = limit, rows.count >= n {
                articlesLeft += 1
                continue
            }
            if articlesRead & 255 == 0 { try check() }
            articlesRead += 1
            // Hits count and show wherever the query can match: the headline lines first,
            // then the body, each hit with the text either side within its own part.
            var found = false
            for column in [store.articles.headline.text, store.articles.body] {
                column.withBytes(i) { text in
                    let hits = Executor.hits(of: needles, in: text)
                    found = found || !hits.isEmpty
                    hitCount += hits.count
                    for (start, t) in hits {
                        if let n = limit, rows.count >= n { break }
                        let end = start + needles[t].count
                        rows.append([
                            .int(i), .text(store.articles.title[i]),
                            .text(Executor.context(text, before: start, characters: width)), .text(terms[t]),
                            .text(Executor.context(text, after: end, characters: width)),
                        ])
                    }
                }
            }
            if found { articlesWithHits += 1 }
        }
        var t = ResultTable(columns: ["id", "title", "left", "keyword", "right"], rows: rows)
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if articlesLeft > 0 {
            let read = articlesRead == 1 ? "the first article" : "the first \(articlesRead) articles"
            t.note =
                "\(plural(hitCount, "hit")) in \(read); \(plural(articlesLeft, "more matching article")) "
                + "not read (limit \(limit!))"
        } else {
            t.note = "\(plural(hitCount, "hit")) in \(plural(articlesWithHits, "article"))"
        }
        return t
    }

    /// Every hit of each needle (non-overlapping, left to right), in text order; ties (two
    /// terms at one place) in the terms' order. Each hit: its byte offset and the term.
    static func hits(of needles: [[UInt8]], in text: UnsafeBufferPointer<UInt8>) -> [(Int, Int)] {
        var hits: [(Int, Int)] = []
        guard let base = text.baseAddress else { return hits }
        for (t, needle) in needles.enumerated() where !needle.isEmpty {
            needle.withUnsafeBytes { n in
                var from = 0
                while let p = findBytes(UnsafeRawPointer(base + from), text.count - from, n.baseAddress!, n.count) {
                    let at = p - UnsafeRawPointer(base)
                    hits.append((at, t))
                    from = at + n.count
                }
            }
        }
        if needles.count > 1 { hits.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 } }
        return hits
    }

    /// Up to `characters` characters ending at byte `before`, line breaks as spaces.
    static func context(_ text: UnsafeBufferPointer<UInt8>, before end: Int, characters: Int) -> String {
        var start = end
        var left = characters
        while left > 0 && start > 0 {
            start -= 1
            while start > 0 && text[start] & 0xC0 == 0x80 { start -= 1 } // back to a character's first byte
            left -= 1
        }
        return spaced(text, start..<end)
    }

    /// Up to `characters` characters starting at byte `after`, line breaks as spaces.
    static func context(_ text: UnsafeBufferPointer<UInt8>, after start: Int, characters: Int) -> String {
        var end = start
        var left = characters
        while left > 0 && end < text.count {
            end += 1
            while end < text.count && text[end] & 0xC0 == 0x80 { end += 1 }
            left -= 1
        }
        return spaced(text, start..<end)
    }

    static func spaced(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self).replacingOccurrences(
            of: "\n", with: " ")
    }
}
