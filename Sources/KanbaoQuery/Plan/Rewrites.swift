// Logical rewrites: constant folding, merging filters, sort + limit → top-k. The
// physical planner is in PhysicalPlanner.swift.
import KanbaoStore

public enum Optimizer {
    // MARK: logical rewrites

    public static func optimize(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .scan: return plan
        case .filter(let c, let f):
            let child = optimize(c)
            let folded = fold(f)
            if case .constant(true) = folded { return child }
            if case .filter(let cc, let g) = child { return .filter(cc, fold(.and([g, folded]))) }
            return .filter(child, folded)
        case .limit(let c, let n):
            let child = optimize(c)
            if case .sort(let cc, let keys) = child { return .topK(cc, keys, n) }
            if case .limit(let cc, let m) = child { return .limit(cc, min(n, m)) }
            return .limit(child, n)
        case .sort(let c, let k): return .sort(optimize(c), k)
        case .topK(let c, let k, let n): return .topK(optimize(c), k, n)
        case .project(let c, let cols): return .project(optimize(c), cols)
        case .count(let c): return .count(optimize(c))
        case .aggregate(let c, let k, let a, let n): return .aggregate(optimize(c), keys: k, aggregates: a, topN: n)
        case .kwic(let c, let t, let w): return .kwic(optimize(c), terms: t, width: w)
        case .chart(let c): return .chart(optimize(c))
        case .relevance(let c, let t): return .relevance(optimize(c), terms: t)
        case .terms(let c, let n, let r): return .terms(optimize(c), count: n, reference: r.map(fold))
        case .colloc(let c, let t, let n): return .colloc(optimize(c), term: t, count: n)
        }
    }

    /// Folds the parts of an and (or an or): nested ones of the same kind are spliced in,
    /// repeats dropped; the identity (true for and, false for or) vanishes and the
    /// absorbing constant decides the whole.
    static func flatten(_ xs: [BoundFilter], isAnd: Bool) -> BoundFilter {
        var out: [BoundFilter] = []
        for x in xs.map(fold) {
            switch x {
            case .constant(let b): if b != isAnd { return .constant(b) }
            case .and(let ys) where isAnd: for y in ys where !out.contains(y) { out.append(y) }
            case .or(let ys) where !isAnd: for y in ys where !out.contains(y) { out.append(y) }
            default: if !out.contains(x) { out.append(x) }
            }
        }
        if out.isEmpty { return .constant(isAnd) }
        return out.count == 1 ? out[0] : isAnd ? .and(out) : .or(out)
    }

    /// Constant folding: flatten nested and/or, drop `true` from and, `false` from or,
    /// cancel double negation, turn empty ranges and absent codes into `false`.
    public static func fold(_ f: BoundFilter) -> BoundFilter {
        switch f {
        case .and(let xs): return flatten(xs, isAnd: true)
        case .or(let xs): return flatten(xs, isAnd: false)
        case .not(let x):
            switch fold(x) {
            case .constant(let b): return .constant(!b)
            case .not(let y): return y
            case let y: return .not(y)
            }
        case .dateWithin(_, let lo, let hi, _): return lo > hi ? .constant(false) : f
        case .codes(_, let c, _): return c.isEmpty ? .constant(false) : f
        case .keyword(let k, _): return k.isEmpty ? .constant(true) : f
        default: return f
        }
    }
}
