// Logical rewrites (constant folding, merging filters, sort + limit → top-k) and the
// physical planner: keyword predicates become index probes, the remaining conjuncts are
// ordered cheapest first, and each stage picks its row or table operator.
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

    // MARK: physical planning

    public static func physical(_ plan: LogicalPlan, store: Store) -> PhysicalPlan {
        switch plan {
        case .scan(let s): return .fullScan(s)
        case .filter(.scan(let s), let f):
            return filterOverScan(s, f, store: store)
        case .filter(let c, let f):
            let child = physical(c, store: store)
            return filters(child, conjuncts(f).sorted { cost($0) < cost($1) }, source: child.source)
        case .sort(let c, let k):
            let child = physical(c, store: store)
            return child.isTable ? .sortTable(child, k) : .sortRows(child, k)
        case .topK(let c, let k, let n):
            let child = physical(c, store: store)
            return child.isTable ? .topKTable(child, k, n) : .topKRows(child, k, n)
        case .limit(let c, let n):
            let child = physical(c, store: store)
            return child.isTable ? .limitTable(child, n) : .limitRows(child, n)
        case .project(let c, let cols):
            let child = physical(c, store: store)
            return child.isTable ? .projectTable(child, cols) : .materialize(child, cols)
        case .count(let c): return .countRows(physical(c, store: store))
        case .aggregate(let c, let k, let a, let n):
            let child = physical(c, store: store)
            return .aggregate(child, keys: k, aggregates: a, topN: n, method: aggregateMethod(k, child.source, store: store))
        case .kwic(let c, let t, let w): return .kwic(physical(c, store: store), terms: t, width: w)
        case .chart(let c): return .chart(physical(c, store: store))
        }
    }

    static func conjuncts(_ f: BoundFilter) -> [BoundFilter] {
        if case .and(let xs) = f { return xs }
        return [f]
    }

    /// Splits the conjuncts a keyword index can answer from those it cannot.
    static func filterOverScan(_ source: SourceKind, _ f: BoundFilter, store: Store) -> PhysicalPlan {
        if case .constant(false) = f { return .empty(source) }
        var positive: [IndexExpr] = [], negative: [IndexExpr] = [], residual: [BoundFilter] = []
        for c in conjuncts(f) {
            if let e = indexExpr(c) { positive.append(e) }
            else if case .not(let x) = c, let e = indexExpr(x) { negative.append(e) }
            else { residual.append(c) }
        }
        if positive.isEmpty {
            residual += negative.map { .not($0.filter) }
            residual.sort { cost($0) < cost($1) }
            // The cheapest conjunct, if it is a plain column test, scans the table itself.
            if let first = residual.first, ColumnTest(first, source) != nil {
                return filters(.columnScan(source, first), Array(residual.dropFirst()), source: source)
            }
            return filters(.fullScan(source), residual, source: source)
        }
        // Cheapest posting lists first: intersections shrink fastest that way.
        positive.sort { $0.estimate(store) < $1.estimate(store) }
        var probe = positive.count == 1 ? positive[0] : .and(positive)
        if !negative.isEmpty { probe = .andNot(probe, negative.count == 1 ? negative[0] : .or(negative)) }
        residual.sort { cost($0) < cost($1) }
        if !residual.isEmpty, let words = probe.keywordConjunction {
            return .probeThenVerify(source, words.map { KeywordTerm(word: $0.0, scope: $0.1) }, residual)
        }
        return filters(.indexProbe(source, probe), residual, source: source)
    }

    /// Conjuncts (in the order they run) over a child: the leading plain column tests as
    /// one ColumnFilter, the rest as a Filter.
    static func filters(_ child: PhysicalPlan, _ conjuncts: [BoundFilter], source: SourceKind) -> PhysicalPlan {
        let columns = conjuncts.prefix { ColumnTest($0, source) != nil }
        let rest = conjuncts.dropFirst(columns.count)
        var plan = child
        if !columns.isEmpty { plan = .columnFilter(plan, Array(columns)) }
        if !rest.isEmpty { plan = .filter(plan, Array(rest).map(orderedByCost)) }
        return plan
    }

    /// The parts of nested and's in cost order, so that the executor runs them as planned.
    static func orderedByCost(_ f: BoundFilter) -> BoundFilter {
        switch f {
        case .and(let xs): return .and(xs.map(orderedByCost).sorted { cost($0) < cost($1) })
        case .or(let xs): return .or(xs.map(orderedByCost))
        case .not(let x): return .not(orderedByCost(x))
        default: return f
        }
    }

    /// A single key kept as a small dictionary code groups into an array; another integer
    /// key (a date part) into a table of integers; anything else into a table of cells.
    static func aggregateMethod(_ keys: [Field], _ source: SourceKind, store: Store) -> AggregateMethod {
        guard keys.count == 1, let key = IntegerKey(keys[0], store: store, source: source) else { return .hash }
        return key.denseDomain != nil ? .dense : .integer
    }

    static func indexExpr(_ f: BoundFilter) -> IndexExpr? {
        switch f {
        case .keyword(let k, let s): return .keyword(k, s)
        case .and(let xs):
            let es = xs.compactMap(indexExpr)
            return es.count == xs.count ? .and(es) : nil
        case .or(let xs):
            let es = xs.compactMap(indexExpr)
            return es.count == xs.count ? .or(es) : nil
        default: return nil
        }
    }

    /// Relative cost per row: integer tests first, list scans next, text search last.
    static func cost(_ f: BoundFilter) -> Int {
        switch f {
        case .constant: return 0
        case .compare, .dateWithin: return 1
        // district matches against the article's districts list.
        case .codes(let field, _, _): return field.type == .list || field == .district ? 3 : 1
        case .contains: return 20
        case .keyword: return 50
        case .not(let x): return cost(x) + 1
        case .and(let xs), .or(let xs): return xs.map(cost).reduce(0, +)
        }
    }
}
