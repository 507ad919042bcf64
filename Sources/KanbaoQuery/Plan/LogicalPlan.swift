// The logical plan: what to compute, as a tree of relational operators, before any
// decision about indexes, evaluation order or top-k.

public indirect enum LogicalPlan: Sendable, Equatable {
    case scan(SourceKind)
    case filter(LogicalPlan, BoundFilter)
    case sort(LogicalPlan, [SortKey])
    case limit(LogicalPlan, Int)
    case topK(LogicalPlan, [SortKey], Int)
    case project(LogicalPlan, [String])
    case count(LogicalPlan)
    case aggregate(LogicalPlan, keys: [Field], aggregates: [AggregateSpec], topN: Int?)
    case kwic(LogicalPlan, terms: [SearchTerm], width: Int)
    case chart(LogicalPlan)
    /// The rows, with `hits` and `score` known from here on.
    case relevance(LogicalPlan, terms: [SearchTerm])
    case terms(LogicalPlan, count: Int, reference: BoundFilter?)
    case colloc(LogicalPlan, term: String, count: Int)

    /// Stacks the bound stages on a scan, in order.
    public init(_ q: BoundQuery) {
        var plan = LogicalPlan.scan(q.source)
        for s in q.stages {
            switch s {
            case .filter(let f): plan = .filter(plan, f)
            case .sort(let k): plan = .sort(plan, k)
            case .limit(let n): plan = .limit(plan, n)
            case .show(let c): plan = .project(plan, c)
            case .count: plan = .count(plan)
            case .aggregate(let k, let a, let n): plan = .aggregate(plan, keys: k, aggregates: a, topN: n)
            case .kwic(let t, let w): plan = .kwic(plan, terms: t, width: w)
            case .chart: plan = .chart(plan)
            case .relevance(let t): plan = .relevance(plan, terms: t)
            case .terms(let n, let r): plan = .terms(plan, count: n, reference: r)
            case .colloc(let t, let n): plan = .colloc(plan, term: t, count: n)
            }
        }
        self = plan
    }

    var children: [LogicalPlan] {
        switch self {
        case .scan: return []
        case .filter(let c, _), .sort(let c, _), .limit(let c, _), .topK(let c, _, _), .project(let c, _),
            .count(let c),
            .aggregate(let c, _, _, _), .kwic(let c, _, _), .chart(let c), .relevance(let c, _),
            .terms(let c, _, _), .colloc(let c, _, _):
            return [c]
        }
    }

    var label: String {
        switch self {
        case .scan(let s): return "Scan \(s.rawValue)"
        case .filter(_, let f): return "Filter \(f.describe)"
        case .sort(_, let k): return "Sort \(k.describe)"
        case .limit(_, let n): return "Limit \(n)"
        case .topK(_, let k, let n): return "TopK \(n) by \(k.describe)"
        case .project(_, let c): return "Project \(c.joined(separator: ", "))"
        case .count: return "Count"
        case .aggregate(_, let k, let a, let n):
            return "Aggregate \(a.map(\.name).joined(separator: ", "))"
                + (k.isEmpty ? "" : " by \(k.map(\.rawValue).joined(separator: ", "))")
                + (n.map { " top \($0)" } ?? "")
        case .kwic(_, let t, let w): return "Kwic \(t.map(\.describe).joined(separator: ", ")) width \(w)"
        case .chart: return "Chart"
        case .relevance(_, let t): return "Relevance to \(t.map(\.describe).joined(separator: ", "))"
        case .terms(_, let n, let r): return "Terms \(n) against " + (r.map(\.describe) ?? "the other articles")
        case .colloc(_, let t, let n): return "Colloc “\(t)” \(n) each side"
        }
    }

    /// The plan as an indented tree, root first (DuckDB's explain reads the same way).
    public var tree: String {
        var out = ""
        func walk(_ p: LogicalPlan, _ depth: Int) {
            out += String(repeating: "  ", count: depth) + p.label + "\n"
            for c in p.children { walk(c, depth + 1) }
        }
        walk(self, 0)
        return out
    }
}

extension Array where Element == SortKey {
    var describe: String { map { $0.column + ($0.descending ? " desc" : "") }.joined(separator: ", ") }
}

extension BoundFilter {
    public var describe: String {
        switch self {
        case .keyword(let k, let s): return s == .any ? "“\(k)”" : "\(s.rawValue):“\(k)”"
        case .search(let t, let s): return s == .any ? t.describe : "\(s.rawValue):\(t.describe)"
        case .known(let f): return "\(f.rawValue) is known"
        case .hasFigure(let inner): return "figure(\(inner.describe))"
        case .not(.known(let f)): return "\(f.rawValue):none"
        case .codes(let f, let c, let label):
            return c.isEmpty ? "\(f.rawValue):\(label) (absent from corpus)" : "\(f.rawValue):\(label)"
        case .dateWithin(let f, _, _, let label): return "\(f.rawValue):\(label)"
        case .compare(let f, let op, let v):
            return "\(f.rawValue) \(op == .match ? "=" : op.rawValue) \(formatNumber(v))"
        case .contains(let f, let s): return "\(f.rawValue) contains “\(s)”"
        case .and(let xs):
            return xs.map { x in
                if case .or = x { return "(\(x.describe))" }
                return x.describe
            }.joined(separator: " and ")
        case .or(let xs): return xs.map(\.describe).joined(separator: " or ")
        case .not(let x):
            if case .and = x { return "not (\(x.describe))" }
            if case .or = x { return "not (\(x.describe))" }
            return "not \(x.describe)"
        case .constant(let b): return b ? "true" : "false"
        }
    }
}

func formatNumber(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
}
