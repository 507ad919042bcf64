// Keyword in context: each hit of the query's words, with the text either side.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    // MARK: keyword in context

    func kwic(_ s: SourceKind, _ sel: [Int32], _ terms: [String], _ width: Int) throws -> ResultTable {
        let access = ColumnAccess(store: store, source: s)
        var seen = Set<Int>()
        var rows: [[Cell]] = []
        var articlesWithHits = 0
        for r in sel {
            try check()
            let i = access.article(r)
            guard seen.insert(i).inserted else { continue }
            // Hits count and show wherever the query can match: the headline lines first,
            // then the body, each hit with the text either side within its own part.
            var found = false
            for part in [store.articles.headline.text[i], store.articles.body[i]] {
                let text = Array(part.unicodeScalars)
                var hits: [(Int, String)] = []
                for t in terms {
                    let needle = Array(t.unicodeScalars)
                    guard !needle.isEmpty, needle.count <= text.count else { continue }
                    var k = 0
                    while k + needle.count <= text.count {
                        if text[k] == needle[0] && Array(text[k..<(k + needle.count)]) == needle {
                            hits.append((k, t))
                            k += needle.count
                        } else {
                            k += 1
                        }
                    }
                }
                found = found || !hits.isEmpty
                for (k, t) in hits.sorted(by: { $0.0 < $1.0 }) {
                    let len = t.unicodeScalars.count
                    let left = String(String.UnicodeScalarView(text[Swift.max(0, k - width)..<k])).map {
                        $0 == "\n" ? " " : $0
                    }
                    let right = String(
                        String.UnicodeScalarView(text[(k + len)..<Swift.min(text.count, k + len + width)])
                    )
                    .map { $0 == "\n" ? " " : $0 }
                    rows.append([
                        .int(i), .text(store.articles.title[i]), .text(String(left)), .text(t), .text(String(right)),
                    ])
                }
            }
            if found { articlesWithHits += 1 }
        }
        var t = ResultTable(columns: ["id", "title", "left", "keyword", "right"], rows: rows)
        t.note =
            "\(rows.count) hit\(rows.count == 1 ? "" : "s") in \(articlesWithHits) article\(articlesWithHits == 1 ? "" : "s")"
        return t
    }
}
