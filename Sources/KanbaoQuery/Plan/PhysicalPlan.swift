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

    var describe: String {
        switch self {
        case .keyword(let k, let s): return s == .any ? "“\(k)”" : "\(s.rawValue):“\(k)”"
        case .and(let xs): return xs.map { x in if case .or = x { return "(\(x.describe))" }; return x.describe }.joined(separator: " ∩ ")
        case .or(let xs): return xs.map(\.describe).joined(separator: " ∪ ")
        case .andNot(let a, let b): return "(\(a.describe)) − (\(b.describe))"
        }
    }
}

public indirect enum PhysicalPlan: Sendable {
    case fullScan(SourceKind)
    case empty(SourceKind)
    case indexProbe(SourceKind, IndexExpr)
    case filter(PhysicalPlan, [BoundFilter])
    case sortRows(PhysicalPlan, [SortKey])
    case topKRows(PhysicalPlan, [SortKey], Int)
    case limitRows(PhysicalPlan, Int)
    case materialize(PhysicalPlan, [String])
    case countRows(PhysicalPlan)
    case hashAggregate(PhysicalPlan, keys: [Field], aggregates: [AggregateSpec], topN: Int?)
    case kwic(PhysicalPlan, terms: [String], width: Int)
    case sortTable(PhysicalPlan, [SortKey])
    case topKTable(PhysicalPlan, [SortKey], Int)
    case limitTable(PhysicalPlan, Int)
    case projectTable(PhysicalPlan, [String])
    case chart(PhysicalPlan)

    /// Does this operator produce a table (rather than a selection of rows)?
    public var isTable: Bool {
        switch self {
        case .fullScan, .empty, .indexProbe, .filter, .sortRows, .topKRows, .limitRows: return false
        default: return true
        }
    }

    var children: [PhysicalPlan] {
        switch self {
        case .fullScan, .empty, .indexProbe: return []
        case .filter(let c, _), .sortRows(let c, _), .topKRows(let c, _, _), .limitRows(let c, _), .materialize(let c, _),
             .countRows(let c), .hashAggregate(let c, _, _, _), .kwic(let c, _, _), .sortTable(let c, _),
             .topKTable(let c, _, _), .limitTable(let c, _), .projectTable(let c, _), .chart(let c):
            return [c]
        }
    }

    var label: String {
        switch self {
        case .fullScan(let s): return "FullScan \(s.rawValue)"
        case .empty(let s): return "Empty \(s.rawValue) (the filter is false)"
        case .indexProbe(let s, let e): return "IndexProbe \(s.rawValue) \(e.describe)"
        case .filter(_, let fs): return "Filter " + fs.map(\.describe).joined(separator: " → ")
        case .sortRows(_, let k): return "SortRows \(k.describe)"
        case .topKRows(_, let k, let n): return "TopKRows \(n) by \(k.describe)"
        case .limitRows(_, let n): return "LimitRows \(n)"
        case .materialize(_, let c): return "Materialize \(c.joined(separator: ", "))"
        case .countRows: return "CountRows"
        case .hashAggregate(_, let k, let a, let n):
            return "HashAggregate \(a.map(\.name).joined(separator: ", "))" + (k.isEmpty ? "" : " by \(k.map(\.rawValue).joined(separator: ", "))")
                + (n.map { " top \($0)" } ?? "")
        case .kwic(_, let t, let w): return "Kwic \(t.joined(separator: ", ")) width \(w)"
        case .sortTable(_, let k): return "SortTable \(k.describe)"
        case .topKTable(_, let k, let n): return "TopKTable \(n) by \(k.describe)"
        case .limitTable(_, let n): return "LimitTable \(n)"
        case .projectTable(_, let c): return "ProjectTable \(c.joined(separator: ", "))"
        case .chart: return "Chart"
        }
    }
}
