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

enum Intermediate {
    case rows(SourceKind, [Int32])
    case table(ResultTable)
}

public struct Executor {
    let store: Store
    let cancel: CancellationFlag?
    public private(set) var stats: [OperatorStats] = []
    var depth = 0

    public init(store: Store, cancel: CancellationFlag? = nil) {
        self.store = store
        self.cancel = cancel
    }

    @inline(__always) func check() throws {
        if let c = cancel, c.isCancelled { throw QueryCancelled() }
    }

    public mutating func run(_ plan: PhysicalPlan) throws -> ResultTable {
        switch try execute(plan) {
        case .table(let t): return t
        case .rows(let s, let sel):
            return try materialize(s, sel, s == .articles ? Binder.defaultArticleColumns : Binder.defaultFigureColumns)
        }
    }

    mutating func execute(_ plan: PhysicalPlan) throws -> Intermediate {
        let slot = stats.count
        stats.append(OperatorStats(label: plan.label, depth: depth, rows: 0, seconds: 0))
        let start = DispatchTime.now().uptimeNanoseconds
        depth += 1
        let result = try step(plan)
        depth -= 1
        stats[slot].seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        switch result {
        case .rows(_, let s): stats[slot].rows = s.count
        case .table(let t): stats[slot].rows = t.rows.count
        }
        return result
    }

    func rows(_ i: Intermediate) -> (SourceKind, [Int32]) {
        if case .rows(let s, let r) = i { return (s, r) }
        fatalError("planner bug: a row operator got a table")
    }

    func table(_ i: Intermediate) -> ResultTable {
        if case .table(let t) = i { return t }
        fatalError("planner bug: a table operator got rows")
    }

    mutating func step(_ plan: PhysicalPlan) throws -> Intermediate {
        switch plan {
        case .fullScan(let s):
            let n = s == .articles ? store.articles.count : store.figures.count
            return .rows(s, (0..<Int32(n)).map { $0 })
        case .empty(let s):
            return .rows(s, [])
        case .indexProbe(let s, let e):
            let articles = try probe(e)
            return .rows(s, s == .articles ? articles : figuresOf(articles))
        case .columnScan(let s, let f):
            return .rows(s, try columnFilter(ColumnTest(f, s)!, s, nil))
        case .columnFilter(let c, let conjuncts):
            var (s, sel) = rows(try execute(c))
            for f in conjuncts where !sel.isEmpty { sel = try columnFilter(ColumnTest(f, s)!, s, sel) }
            return .rows(s, sel)
        case .probeThenVerify(let s, let words, let conjuncts):
            var cands: [Int32]?
            var unverified: [KeywordTerm] = []
            for w in words {
                let (rows, exact) = candidateRows(w.word, w.scope)
                cands = cands.map { KeywordIndex.intersect($0, rows) } ?? rows
                if !exact { unverified.append(w) }
            }
            var sel = s == .articles ? (cands ?? []) : figuresOf(cands ?? [])
            for f in conjuncts where !sel.isEmpty { sel = try evaluate(f, s, sel) }
            for w in unverified where !sel.isEmpty {
                let needle = Array(w.word.utf8)
                let store = self.store
                let figureRows = s == .figures
                let scope = w.scope
                sel = try verify(sel) { r in
                    let i = figureRows ? Int(store.figures.article[Int(r)]) : Int(r)
                    return (scope != .body && store.articles.headline.text.contains(row: i, needle))
                        || (scope != .title && store.articles.body.contains(row: i, needle))
                }
            }
            return .rows(s, sel)
        case .filter(let c, let conjuncts):
            var (s, sel) = rows(try execute(c))
            for f in conjuncts { sel = try evaluate(f, s, sel) }
            return .rows(s, sel)
        case .sortRows(let c, let keys):
            let (s, sel) = rows(try execute(c))
            return .rows(s, try sortRows(s, sel, keys, limit: nil))
        case .topKRows(let c, let keys, let n):
            let (s, sel) = rows(try execute(c))
            return .rows(s, try sortRows(s, sel, keys, limit: n))
        case .limitRows(let c, let n):
            let (s, sel) = rows(try execute(c))
            return .rows(s, Array(sel.prefix(n)))
        case .materialize(let c, let cols):
            let (s, sel) = rows(try execute(c))
            return .table(try materialize(s, sel, cols))
        case .countRows(let c):
            let (_, sel) = rows(try execute(c))
            return .table(ResultTable(columns: ["count"], rows: [[.int(sel.count)]]))
        case .aggregate(let c, let keys, let aggs, let topN, let method):
            let (s, sel) = rows(try execute(c))
            return .table(try aggregate(s, sel, keys, aggs, topN: topN, method: method))
        case .kwic(let c, let terms, let width):
            let (s, sel) = rows(try execute(c))
            return .table(try kwic(s, sel, terms, width))
        case .sortTable(let c, let keys):
            return .table(try sortTable(table(try execute(c)), keys, limit: nil))
        case .topKTable(let c, let keys, let n):
            return .table(try sortTable(table(try execute(c)), keys, limit: n))
        case .limitTable(let c, let n):
            var t = table(try execute(c))
            t.rows = Array(t.rows.prefix(n))
            return .table(t)
        case .projectTable(let c, let cols):
            let t = table(try execute(c))
            let idx = cols.map { name in t.columns.firstIndex(of: name)! }
            var out = ResultTable(columns: cols, rows: t.rows.map { r in idx.map { r[$0] } })
            out.chart = t.chart
            return .table(out)
        case .chart(let c):
            var t = table(try execute(c))
            t.chart = true
            return .table(t)
        }
    }

    // MARK: materialising

    func materialize(_ s: SourceKind, _ sel: [Int32], _ cols: [String]) throws -> ResultTable {
        let access = ColumnAccess(store: store, source: s)
        var rows: [[Cell]] = []
        rows.reserveCapacity(sel.count)
        for (k, r) in sel.enumerated() {
            if k & 1023 == 0 { try check() }
            rows.append(cols.map { access.cell($0, r) })
        }
        return ResultTable(columns: cols, rows: rows)
    }
}
