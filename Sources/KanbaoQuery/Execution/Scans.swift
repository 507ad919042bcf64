// Scans of the keyword index: posting lists, their candidates and verification, and the
// figure rows of a set of articles.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    // MARK: index probes

    func postings(_ keyword: String, _ scope: KeywordScope) throws -> [Int32] {
        let store = self.store
        let needle = SearchNeedle(keyword)
        func lookupTitle() throws -> [Int32] {
            let (cands, exact) = store.titleIndex.candidates(keyword)
            if exact { return cands }
            return try verify(cands) { store.headlineHolds(Int($0), needle) }
        }
        func lookupBody() throws -> [Int32] {
            let (cands, exact) = store.bodyIndex.candidates(keyword)
            if exact { return cands }
            return try verifyBodies(cands, needle)
        }
        switch scope {
        case .title: return try lookupTitle()
        case .body: return try lookupBody()
        case .any: return KeywordIndex.union(try lookupTitle(), try lookupBody())
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

    /// The index's candidates for an expression, unverified: a superset of the articles
    /// that hold it (a later test reads their text).
    func probeCandidates(_ e: IndexExpr) throws -> [Int32] {
        try check()
        switch e {
        case .keyword(let k, let s): return candidateRows(k, s).0
        case .and(let xs):
            var acc = try probeCandidates(xs[0])
            for x in xs.dropFirst() where !acc.isEmpty { acc = KeywordIndex.intersect(acc, try probeCandidates(x)) }
            return acc
        case .or(let xs):
            var acc: [Int32] = []
            for x in xs { acc = KeywordIndex.union(acc, try probeCandidates(x)) }
            return acc
        case .andNot(let a, _): return try probeCandidates(a)
        }
    }

    /// How many articles hold a search term, in the whole corpus.
    func documentFrequency(_ t: SearchTerm) throws -> Int {
        if case .keyword(let k) = t { return try postings(k, .any).count }
        let candidates = try t.required.map(probeCandidates) ?? (0..<Int32(store.articles.count)).map { $0 }
        return try evaluate(.search(t, .any), .articles, candidates).count
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
