// Runs a physical plan over the store. Row operators work on selection vectors (sorted
// arrays of row ids) and test one predicate at a time over plain column arrays; nothing
// allocates per row until rows are materialised for output. Every loop checks the
// cancellation flag, so Ctrl-C stops a query promptly.
import Foundation
import KanbaoOutput
import KanbaoStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

public struct QueryCancelled: Error {}

public struct OperatorStats: Sendable {
    public var label: String
    public var depth: Int
    public var rows: Int
    public var seconds: Double
}

public struct Executor {
    let store: Store
    let cancel: CancellationFlag?
    public private(set) var stats: [OperatorStats] = []
    var depth = 0
    /// Set by a Relevance operator: what `hits` and `score` read above it.
    var relevance: Relevance?

    /// How operators read fields of a table's rows.
    func access(_ s: SourceKind) -> ColumnAccess { ColumnAccess(store: store, source: s, relevance: relevance) }

    public init(store: Store, cancel: CancellationFlag? = nil) {
        self.store = store
        self.cancel = cancel
    }

    @inline(__always) func check() throws {
        if let c = cancel, c.isCancelled { throw QueryCancelled() }
    }

    public mutating func run(_ plan: PhysicalPlan) throws -> ResultTable {
        switch plan {
        case .table(let t): return try table(t)
        case .rows(let r):
            let (s, sel) = try rows(r)
            return try materialize(s, sel, s == .articles ? Binder.defaultArticleColumns : Binder.defaultFigureColumns)
        }
    }

    /// Runs one operator, timing it and counting what it gives for `explain analyze`.
    mutating func timed<R>(_ label: String, count: (R) -> Int, _ body: (inout Executor) throws -> R) throws -> R {
        let slot = stats.count
        stats.append(OperatorStats(label: label, depth: depth, rows: 0, seconds: 0))
        let start = DispatchTime.now().uptimeNanoseconds
        depth += 1
        let result = try body(&self)
        depth -= 1
        stats[slot].seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        stats[slot].rows = count(result)
        return result
    }

    mutating func rows(_ plan: RowPlan) throws -> (SourceKind, [Int32]) {
        try timed(plan.label, count: { $0.1.count }) { try $0.step(plan) }
    }

    mutating func table(_ plan: TablePlan) throws -> ResultTable {
        try timed(plan.label, count: { $0.rows.count }) { try $0.step(plan) }
    }

    mutating func step(_ plan: RowPlan) throws -> (SourceKind, [Int32]) {
        switch plan {
        case .fullScan(let s):
            let n = s == .articles ? store.articles.count : store.figures.count
            return (
                s,
                [Int32](unsafeUninitializedCapacity: n) { out, count in
                    for i in 0..<n { out[i] = Int32(truncatingIfNeeded: i) }
                    count = n
                }
            )
        case .empty(let s):
            return (s, [])
        case .indexCandidates(let k):
            let t = store.titleIndex.candidates(k, intersecting: false).rows
            let b = store.bodyIndex.candidates(k, intersecting: false).rows
            return (.articles, KeywordIndex.union(t, b))
        case .indexProbe(let s, let e):
            let articles = try probe(e)
            return (s, s == .articles ? articles : figuresOf(articles))
        case .candidateProbe(let s, let e):
            let articles = try probe(e, verified: false)
            return (s, s == .articles ? articles : figuresOf(articles))
        case .columnScan(let s, let f):
            return (s, try columnFilter(ColumnTest(f, s)!, s, nil))
        case .listPostings(let f):
            guard case .codes(let field, let codes, _) = f, let code = codes.first,
                case .listCode(let column, _)? = ColumnTest(f, .articles)
            else { return (.articles, try evaluate(f, .articles, Array(0..<Int32(store.articles.count)))) }
            return (.articles, Array(ListPostings.of(store, field, column(store)).rows(of: code)))
        case .columnFilter(let c, let conjuncts):
            var (s, sel) = try rows(c)
            for f in conjuncts where !sel.isEmpty { sel = try columnFilter(ColumnTest(f, s)!, s, sel) }
            return (s, sel)
        case .probeThenVerify(let s, let words, let conjuncts):
            var cands: [Int32]?
            var unverified: [KeywordTerm] = []
            for w in words {
                let (rows, exact) = candidateRows(w.word, w.scope)
                cands = cands.map { KeywordIndex.intersect($0, rows) } ?? rows
                if !exact && !w.candidatesOnly { unverified.append(w) }
            }
            var sel = s == .articles ? (cands ?? []) : figuresOf(cands ?? [])
            for f in conjuncts where !sel.isEmpty { sel = try evaluate(f, s, sel) }
            for w in unverified where !sel.isEmpty { sel = try verifyText(sel, w, figureRows: s == .figures) }
            return (s, sel)
        case .keepIndexed(let c, let words):
            var (s, sel) = try rows(c)
            for w in words where !sel.isEmpty {
                try check()
                let (kept, exact) = candidateRows(w.word, w.scope, within: sel)
                sel = exact || w.candidatesOnly ? kept : try verifyText(kept, w)
            }
            return (s, sel)
        case .filter(let c, let conjuncts):
            var (s, sel) = try rows(c)
            for f in conjuncts { sel = try evaluate(f, s, sel) }
            return (s, sel)
        case .sortRows(let c, let keys):
            let (s, sel) = try rows(c)
            return (s, try sortRows(s, sel, keys, limit: nil))
        case .topKRows(let c, let keys, let n):
            let (s, sel) = try rows(c)
            return (s, try sortRows(s, sel, keys, limit: n))
        case .limitRows(let c, let n):
            let (s, sel) = try rows(c)
            return (s, Array(sel.prefix(n)))
        case .relevance(let c, let terms):
            let (s, sel) = try rows(c)
            relevance = Relevance(store: store, terms: terms, documentFrequency: try terms.map(documentFrequency))
            return (s, sel)
        }
    }

    mutating func step(_ plan: TablePlan) throws -> ResultTable {
        switch plan {
        case .materialize(let c, let cols):
            let (s, sel) = try rows(c)
            return try materialize(s, sel, cols)
        case .tableCount(let s):
            return ResultTable(
                columns: ["count"], rows: [[.int(s == .articles ? store.articles.count : store.figures.count)]])
        case .countRows(let c):
            let (_, sel) = try rows(c)
            return ResultTable(columns: ["count"], rows: [[.int(sel.count)]])
        case .aggregate(let c, let keys, let aggs, let topN, let method):
            let (s, sel) = try rows(c)
            return try aggregate(s, sel, keys, aggs, topN: topN, method: method)
        case .kwic(let c, let terms, let width, let limit):
            let (s, sel) = try rows(c)
            var unverified = false
            if case .indexCandidates = c { unverified = true }
            return try kwic(s, sel, terms, width, limit: limit, unverified: unverified)
        case .sortTable(let c, let keys):
            return try sortTable(try table(c), keys, limit: nil)
        case .topKTable(let c, let keys, let n):
            return try sortTable(try table(c), keys, limit: n)
        case .limitTable(let c, let n):
            var t = try table(c)
            t.rows = Array(t.rows.prefix(n))
            return t
        case .projectTable(let c, let cols):
            let t = try table(c)
            let idx = cols.map { name in t.columns.firstIndex(of: name)! }
            var out = ResultTable(columns: cols, rows: t.rows.map { r in idx.map { r[$0] } })
            out.chart = t.chart
            return out
        case .chart(let c):
            var t = try table(c)
            t.chart = true
            return t
        case .terms(let c, let n, let reference):
            let (s, sel) = try rows(c)
            let ref = try reference.map { try rows($0).1 }
            return try terms(articles(s, sel), n, reference: ref)
        case .colloc(let c, let term, let n):
            let (s, sel) = try rows(c)
            return try colloc(articles(s, sel), term, n)
        }
    }

    // MARK: materialising

    func materialize(_ s: SourceKind, _ sel: [Int32], _ cols: [String]) throws -> ResultTable {
        let access = access(s)
        var rows: [[Cell]] = []
        rows.reserveCapacity(sel.count)
        for (k, r) in sel.enumerated() {
            if k & 1023 == 0 { try check() }
            rows.append(cols.map { access.cell($0, r) })
        }
        return ResultTable(columns: cols, rows: rows)
    }
}
