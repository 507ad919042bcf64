// The physical plan: how to compute it. Row operators pass a selection vector (sorted
// row ids of the source table); table operators pass materialised rows.
import KanbaoStore

/// A keyword expression answered from posting lists.
public indirect enum IndexExpr: Sendable, Equatable {
    case keyword(String, KeywordScope)
    case and([IndexExpr])
    case or([IndexExpr])
    case andNot(IndexExpr, IndexExpr)

    /// The keywords of a plain conjunction (`a`, `a b c`), else nil.
    var keywordConjunction: [(String, KeywordScope)]? {
        switch self {
        case .keyword(let k, let s): return [(k, s)]
        case .and(let xs):
            var out: [(String, KeywordScope)] = []
            for x in xs {
                guard case .keyword(let k, let s) = x else { return nil }
                out.append((k, s))
            }
            return out
        default: return nil
        }
    }

    var filter: BoundFilter {
        switch self {
        case .keyword(let k, let s): return .keyword(k, s)
        case .and(let xs): return .and(xs.map(\.filter))
        case .or(let xs): return .or(xs.map(\.filter))
        case .andNot(let a, let b): return .and([a.filter, .not(b.filter)])
        }
    }

    /// Size of the candidate list, for ordering intersections.
    func estimate(_ store: Store) -> Int {
        switch self {
        case .keyword(let k, let s):
            switch s {
            case .title: return store.titleIndex.postingCount(k)
            case .body: return store.bodyIndex.postingCount(k)
            case .any: return store.titleIndex.postingCount(k) + store.bodyIndex.postingCount(k)
            }
        case .and(let xs): return xs.map { $0.estimate(store) }.min() ?? 0
        case .or(let xs): return xs.map { $0.estimate(store) }.reduce(0, +)
        case .andNot(let a, _): return a.estimate(store)
        }
    }

    public var describe: String {
        switch self {
        case .keyword(let k, let s): return s == .any ? "“\(k)”" : "\(s.rawValue):“\(k)”"
        case .and(let xs):
            return xs.map { x in
                if case .or = x { return "(\(x.describe))" }
                return x.describe
            }.joined(separator: " ∩ ")
        case .or(let xs): return xs.map(\.describe).joined(separator: " ∪ ")
        case .andNot(let a, let b): return "(\(a.describe)) − (\(b.describe))"
        }
    }
}

/// A keyword and where it is searched.
public struct KeywordTerm: Sendable, Equatable {
    public var word: String
    public var scope: KeywordScope
    /// Only candidates are wanted: a later test (an exact spelling, a proximity, a
    /// pattern) reads the text anyway.
    public var candidatesOnly = false

    var describe: String {
        IndexExpr.keyword(word, scope).describe + (candidatesOnly ? " (candidates)" : "")
    }
}

/// How a grouping keeps its groups: an array indexed by dictionary code, a table of
/// integer keys, or a table of cells (several keys, list keys).
public enum AggregateMethod: String, Sendable {
    case dense = "DenseAggregate"
    case integer = "IntegerAggregate"
    case hash = "HashAggregate"
}

/// Every decision about how a query runs is made by the planner and is a node here: the
/// executor only executes, and `explain` and `explain analyze` print the same operators.
/// A plan is rows (a selection vector over a table) until a stage makes it a table; the
/// two are different types, so no operator can be handed the other kind.
public enum PhysicalPlan: Sendable {
    case rows(RowPlan)
    case table(TablePlan)

    var label: String {
        switch self {
        case .rows(let r): return r.label
        case .table(let t): return t.label
        }
    }

    var children: [PhysicalPlan] {
        switch self {
        case .rows(let r): return r.child.map { [.rows($0)] } ?? []
        case .table(.terms(let r, _, let reference?)): return [.rows(r), .rows(reference)]
        case .table(let t): return t.child.map { [$0] } ?? []
        }
    }
}

/// Operators whose output is a selection of rows of one table.
public indirect enum RowPlan: Sendable {
    case fullScan(SourceKind)
    case empty(SourceKind)
    case indexProbe(SourceKind, IndexExpr)
    /// The index's candidates for keywords that every match of a later text test holds
    /// (unverified: the test reads the text).
    case candidateProbe(SourceKind, IndexExpr)
    /// A keyword's candidate articles from the index, not verified: only under a kwic of
    /// that keyword, whose own search confirms each one it reads.
    case indexCandidates(String)
    /// The whole table through one test on a plain column (ColumnTest), on both cores.
    case columnScan(SourceKind, BoundFilter)
    /// The articles a list field (district, place, reporter) names one code for, read
    /// from the column's posting lists (Postings.swift).
    case listPostings(BoundFilter)
    /// Rows refined by tests on plain columns, one after another, on both cores.
    case columnFilter(RowPlan, [BoundFilter])
    /// Rows refined by tests that read each row (text, lists of names, or and not).
    case filter(RowPlan, [BoundFilter])
    /// Keywords ANDed with cheaper tests: the index's unverified candidates, shrunk by the
    /// tests, then the text read for the rows that are left.
    case probeThenVerify(SourceKind, [KeywordTerm], [BoundFilter])
    /// Articles chosen by cheaper tests, then kept if they are in each keyword's posting
    /// lists (a dense list probed row by row, not decoded whole), then their text read
    /// where a list alone cannot tell: for keywords most articles hold.
    case keepIndexed(RowPlan, [KeywordTerm])
    case sortRows(RowPlan, [SortKey])
    case topKRows(RowPlan, [SortKey], Int)
    case limitRows(RowPlan, Int)
    /// The rows unchanged; from here on `hits` and `score` read the terms' document
    /// frequencies, counted over the whole corpus here.
    case relevance(RowPlan, [SearchTerm])

    /// The table whose rows flow through this plan.
    var source: SourceKind {
        switch self {
        case .fullScan(let s), .empty(let s), .indexProbe(let s, _), .candidateProbe(let s, _), .columnScan(let s, _),
            .probeThenVerify(let s, _, _):
            return s
        case .indexCandidates, .listPostings: return .articles
        case .columnFilter(let c, _), .filter(let c, _), .sortRows(let c, _), .topKRows(let c, _, _),
            .limitRows(let c, _), .keepIndexed(let c, _), .relevance(let c, _):
            return c.source
        }
    }

    var child: RowPlan? {
        switch self {
        case .fullScan, .empty, .indexProbe, .candidateProbe, .indexCandidates, .columnScan, .probeThenVerify,
            .listPostings:
            return nil
        case .columnFilter(let c, _), .filter(let c, _), .sortRows(let c, _), .topKRows(let c, _, _),
            .limitRows(let c, _), .keepIndexed(let c, _), .relevance(let c, _):
            return c
        }
    }

    var label: String {
        switch self {
        case .fullScan(let s): return "FullScan \(s.rawValue)"
        case .empty(let s): return "Empty \(s.rawValue) (the filter is false)"
        case .indexProbe(let s, let e): return "IndexProbe \(s.rawValue) \(e.describe)"
        case .candidateProbe(let s, let e): return "CandidateProbe \(s.rawValue) \(e.describe) (unverified)"
        case .indexCandidates(let k): return "IndexCandidates articles “\(k)” (the kwic confirms them)"
        case .columnScan(let s, let f): return "ColumnScan \(s.rawValue) \(f.describe)"
        case .listPostings(let f): return "ListPostings articles \(f.describe)"
        case .columnFilter(_, let fs): return "ColumnFilter " + fs.map(\.describe).joined(separator: " → ")
        case .filter(_, let fs): return "Filter " + fs.map(\.describe).joined(separator: " → ")
        case .probeThenVerify(let s, let words, let fs):
            return "ProbeThenVerify \(s.rawValue) "
                + words.map(\.describe).joined(separator: " ∩ ")
                + " → " + fs.map(\.describe).joined(separator: " → ") + " → verify text"
        case .keepIndexed(_, let words):
            return "KeepIndexed "
                + words.map(\.describe).joined(separator: " ∩ ")
                + " (posting membership, then verify text)"
        case .sortRows(_, let k): return "SortRows \(k.describe)"
        case .topKRows(_, let k, let n): return "TopKRows \(n) by \(k.describe)"
        case .limitRows(_, let n): return "LimitRows \(n)"
        case .relevance(_, let t): return "Relevance to \(t.map(\.describe).joined(separator: ", "))"
        }
    }
}

/// Operators whose output is a table of cells.
public indirect enum TablePlan: Sendable {
    case materialize(RowPlan, [String])
    case countRows(RowPlan)
    /// The row count of a whole table, read off the store (no rows are listed).
    case tableCount(SourceKind)
    case aggregate(RowPlan, keys: [Field], aggregates: [AggregateSpec], topN: Int?, method: AggregateMethod)
    /// Hits of the terms in the rows' text; with a limit, only the first `limit` hits.
    case kwic(RowPlan, terms: [SearchTerm], width: Int, limit: Int?)
    case sortTable(TablePlan, [SortKey])
    case topKTable(TablePlan, [SortKey], Int)
    case limitTable(TablePlan, Int)
    case projectTable(TablePlan, [String])
    case chart(TablePlan)
    /// Strings over-represented in the rows' articles, against the reference rows' articles
    /// (nil: every article not among the rows'), by G² on document counts.
    case terms(RowPlan, count: Int, reference: RowPlan?)
    /// Neighbours of a keyword in the rows' articles.
    case colloc(RowPlan, term: String, count: Int)

    var child: PhysicalPlan? {
        switch self {
        case .tableCount: return nil
        case .materialize(let r, _), .countRows(let r), .aggregate(let r, _, _, _, _), .kwic(let r, _, _, _),
            .terms(let r, _, _), .colloc(let r, _, _):
            return .rows(r)
        case .sortTable(let t, _), .topKTable(let t, _, _), .limitTable(let t, _), .projectTable(let t, _),
            .chart(let t):
            return .table(t)
        }
    }

    var label: String {
        switch self {
        case .tableCount(let s): return "TableCount \(s.rawValue)"
        case .materialize(_, let c): return "Materialize \(c.joined(separator: ", "))"
        case .countRows: return "CountRows"
        case .aggregate(_, let k, let a, let n, let method):
            return "\(method.rawValue) \(a.map(\.name).joined(separator: ", "))"
                + (k.isEmpty ? "" : " by \(k.map(\.rawValue).joined(separator: ", "))")
                + (n.map { " top \($0)" } ?? "")
        case .kwic(_, let t, let w, let n):
            return "Kwic \(t.map(\.describe).joined(separator: ", ")) width \(w)" + (n.map { " first \($0)" } ?? "")
        case .sortTable(_, let k): return "SortTable \(k.describe)"
        case .topKTable(_, let k, let n): return "TopKTable \(n) by \(k.describe)"
        case .limitTable(_, let n): return "LimitTable \(n)"
        case .projectTable(_, let c): return "ProjectTable \(c.joined(separator: ", "))"
        case .chart: return "Chart"
        case .terms(_, let n, let r):
            return "Terms \(n) by G² against " + (r == nil ? "the other articles" : "the reference rows")
        case .colloc(_, let t, let n): return "Colloc “\(t)” \(n) each side"
        }
    }
}
