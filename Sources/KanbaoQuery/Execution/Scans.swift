// Scans of the keyword index: posting lists, their candidates and verification, and the
// figure rows of a set of articles.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    // MARK: index probes

    func postings(_ keyword: String, _ scope: KeywordScope) throws -> [Int32] {
        let store = self.store
        func lookup(_ index: KeywordIndex, _ contains: @escaping @Sendable (Int) -> Bool) throws -> [Int32] {
            let (cands, exact) = index.candidates(keyword)
            if exact { return cands }
            return try verify(cands) { contains(Int($0)) }
        }
        func lookupBody() throws -> [Int32] {
            let (cands, exact) = store.bodyIndex.candidates(keyword)
            if exact { return cands }
            return try verifyBodies(cands, utf16)
        }
        let utf8 = Array(keyword.utf8)
        let utf16 = Array(keyword.utf16)
        let inHeadline = { @Sendable (i: Int) in store.articles.headline.text.contains(row: i, utf8) }
        switch scope {
        case .title: return try lookup(store.titleIndex, inHeadline)
        case .body: return try lookupBody()
        case .any:
            return KeywordIndex.union(try lookup(store.titleIndex, inHeadline), try lookupBody())
        }
    }

    /// Index candidates for a keyword in a scope, and whether they are exact.
    func candidateRows(_ keyword: String, _ scope: KeywordScope, within: [Int32]? = nil) -> ([Int32], Bool) {
        switch scope {
        case .title: return store.titleIndex.candidates(keyword, within: within)
        case .body: return store.bodyIndex.candidates(keyword, within: within)
        case .any:
            let t = store.titleIndex.candidates(keyword, within: within)
            let b = store.bodyIndex.candidates(keyword, within: within)
            return (KeywordIndex.union(t.rows, b.rows), t.exact && b.exact)
        }
    }

    func probe(_ e: IndexExpr) throws -> [Int32] {
        try check()
        switch e {
        case .keyword(let k, let s): return try postings(k, s)
        case .and(let xs):
            var acc = try probe(xs[0])
            for x in xs.dropFirst() where !acc.isEmpty { acc = KeywordIndex.intersect(acc, try probe(x)) }
            return acc
        case .or(let xs):
            var acc: [Int32] = []
            for x in xs { acc = KeywordIndex.union(acc, try probe(x)) }
            return acc
        case .andNot(let a, let b):
            let left = try probe(a)
            return left.isEmpty ? left : KeywordIndex.subtract(left, try probe(b))
        }
    }

    /// Figure rows of the given articles, in order.
    func figuresOf(_ articles: [Int32]) -> [Int32] {
        var out: [Int32] = []
        let starts = store.articles.figureStart
        for a in articles {
            let i = Int(a)
            out.append(contentsOf: starts[i]..<starts[i + 1])
        }
        return out
    }
}
