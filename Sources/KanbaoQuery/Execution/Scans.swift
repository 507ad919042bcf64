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

    /// The articles an index expression selects, each keyword's candidates verified
    /// against the text; with `verified: false`, only the index's candidates (a superset:
    /// a later test reads their text, so a subtraction, which would need the verified
    /// rows, is left to it).
    func probe(_ e: IndexExpr, verified: Bool = true) throws -> [Int32] {
        try check()
        switch e {
        case .keyword(let k, let s): return verified ? try postings(k, s) : candidateRows(k, s).0
        case .and(let xs):
            var acc = try probe(xs[0], verified: verified)
            for x in xs.dropFirst() where !acc.isEmpty {
                acc = KeywordIndex.intersect(acc, try probe(x, verified: verified))
            }
            return acc
        case .or(let xs):
            var acc: [Int32] = []
            for x in xs { acc = KeywordIndex.union(acc, try probe(x, verified: verified)) }
            return acc
        case .andNot(let a, let b):
            let left = try probe(a, verified: verified)
            return left.isEmpty || !verified ? left : KeywordIndex.subtract(left, try probe(b))
        }
    }

    /// How many articles hold a search term, in the whole corpus.
    func documentFrequency(_ t: SearchTerm) throws -> Int {
        if case .keyword(let k) = t { return try postings(k, .any).count }
        let candidates =
            try t.required.map { try probe($0, verified: false) } ?? (0..<Int32(store.articles.count)).map { $0 }
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
