// The physical planner: keyword predicates become index probes, the remaining conjuncts
// are ordered cheapest first and run as column tests or row tests, keywords with cheaper
// tests are verified last, a grouping picks its method, and each stage picks its row or
// table operator. Every choice is a node of the plan (PhysicalPlan.swift).
import KanbaoStore

extension Optimizer {
    // MARK: physical planning

    /// A stage met a plan of the other kind (a grouping after a grouping, a chart of rows):
    /// the binder refuses such queries with a message of its own, so this is the planner
    /// saying it cannot plan one that reached it anyway.
    public struct Mismatch: Error, CustomStringConvertible {
        public let description: String
    }

    public static func physical(_ plan: LogicalPlan, store: Store) throws -> PhysicalPlan {
        func rows(_ c: LogicalPlan, for stage: String) throws -> RowPlan {
            guard case .rows(let r) = try physical(c, store: store) else {
                throw Mismatch(description: "'\(stage)' needs rows of a table, not a grouped or shown result")
            }
            return r
        }
        switch plan {
        case .scan(let s): return .rows(.fullScan(s))
        case .filter(.scan(let s), let f):
            return .rows(filterOverScan(s, f, store: store))
        case .filter(let c, let f):
            let child = try rows(c, for: "where")
            return .rows(filters(child, conjuncts(f).sorted { cost($0) < cost($1) }, source: child.source))
        case .sort(let c, let k):
            switch try physical(c, store: store) {
            case .rows(let r): return .rows(.sortRows(r, k))
            case .table(let t): return .table(.sortTable(t, k))
            }
        case .topK(let c, let k, let n):
            switch try physical(c, store: store) {
            case .rows(let r): return .rows(.topKRows(r, k, n))
            case .table(let t): return .table(.topKTable(t, k, n))
            }
        case .limit(.kwic(.filter(.scan(.articles), .keyword(let k, .any)), let t, let w), let n)
        where t == [.keyword(k)]:
            // A kwic of the one keyword the articles are chosen by, with a limit: the kwic
            // reads the index's candidates itself (its search is the verification) and
            // stops once it has n hits, so the candidates past them are never read.
            return .table(.kwic(.indexCandidates(k), terms: t, width: w, limit: n))
        case .limit(.kwic(let c, let t, let w), let n):
            // The limit goes into the kwic, which then stops reading once it has n hits.
            return .table(.kwic(try rows(c, for: "kwic"), terms: t, width: w, limit: n))
        case .limit(let c, let n):
            switch try physical(c, store: store) {
            case .rows(let r): return .rows(.limitRows(r, n))
            case .table(let t): return .table(.limitTable(t, n))
            }
        case .project(let c, let cols):
            switch try physical(c, store: store) {
            case .rows(let r): return .table(.materialize(r, cols))
            case .table(let t): return .table(.projectTable(t, cols))
            }
        case .count(.scan(let s)): return .table(.tableCount(s))
        case .count(let c): return .table(.countRows(try rows(c, for: "count")))
        case .aggregate(let c, let k, let a, let n):
            let child = try rows(c, for: "count by")
            // Distinct counts keep a set of values per group: only the table of cells does.
            let method = a.contains(where: \.distinct) ? .hash : aggregateMethod(k, child.source, store: store)
            return .table(.aggregate(child, keys: k, aggregates: a, topN: n, method: method))
        case .kwic(let c, let t, let w):
            return .table(.kwic(try rows(c, for: "kwic"), terms: t, width: w, limit: nil))
        case .terms(let c, let n, let r):
            return .table(
                .terms(
                    try rows(c, for: "terms"), count: n,
                    reference: r.map { filterOverScan(.articles, $0, store: store) }))
        case .colloc(let c, let t, let n):
            return .table(.colloc(try rows(c, for: "colloc"), term: t, count: n))
        case .relevance(let c, let t):
            return .rows(.relevance(try rows(c, for: "hits and score"), t))
        case .chart(let c):
            guard case .table(let t) = try physical(c, store: store) else {
                throw Mismatch(description: "'chart' draws a grouped result")
            }
            return .table(.chart(t))
        }
    }

    static func conjuncts(_ f: BoundFilter) -> [BoundFilter] {
        if case .and(let xs) = f { return xs }
        return [f]
    }

    /// Splits the conjuncts a keyword index can answer from those it cannot.
    static func filterOverScan(_ source: SourceKind, _ f: BoundFilter, store: Store) -> RowPlan {
        if case .constant(false) = f { return .empty(source) }
        var positive: [IndexExpr] = []
        var negative: [IndexExpr] = []
        var residual: [BoundFilter] = []
        // Keywords that every match of a text test holds: candidates for it.
        var implied: [IndexExpr] = []
        for c in conjuncts(f) {
            if let e = indexExpr(c) {
                positive.append(e)
            } else if case .not(let x) = c, let e = indexExpr(x) {
                negative.append(e)
            } else {
                residual.append(c)
                if case .search(let t, _) = c, let r = t.required { implied.append(r) }
            }
        }
        if positive.isEmpty && !implied.isEmpty {
            residual += negative.map { .not($0.filter) }
            residual.sort { cost($0) < cost($1) }
            implied.sort { $0.estimate(store) < $1.estimate(store) }
            return filters(
                .candidateProbe(source, implied.count == 1 ? implied[0] : .and(implied)), residual, source: source)
        }
        if positive.isEmpty {
            residual += negative.map { .not($0.filter) }
            residual.sort { cost($0) < cost($1) }
            if let (scan, rest) = narrowestScan(source, residual, store: store) {
                return filters(scan, rest, source: source)
            }
            return filters(.fullScan(source), residual, source: source)
        }
        // Cheapest posting lists first: intersections shrink fastest that way.
        positive.sort { $0.estimate(store) < $1.estimate(store) }
        var probe = positive.count == 1 ? positive[0] : .and(positive)
        if !negative.isEmpty { probe = .andNot(probe, negative.count == 1 ? negative[0] : .or(negative)) }
        residual.sort { cost($0) < cost($1) }
        if !residual.isEmpty, let words = probe.keywordConjunction {
            var terms = words.map { KeywordTerm(word: $0.0, scope: $0.1) }
            for e in implied {
                for (k, s) in e.keywordConjunction ?? [] {
                    terms.append(KeywordTerm(word: k, scope: s, candidatesOnly: true))
                }
            }
            // Keywords most articles hold, with a date test: the date test first (its zone
            // map skips the blocks outside the range), then membership in the lists.
            if source == .articles, let first = residual.first, case .dateWithin = first,
                positive[0].estimate(store) > store.articles.count / 4,
                let (scan, rest) = narrowestScan(source, residual, store: store)
            {
                return .keepIndexed(filters(scan, rest, source: source), terms)
            }
            return .probeThenVerify(source, terms, residual)
        }
        return filters(.indexProbe(source, probe), residual, source: source)
    }

    /// Where a scan of the articles starts: from the posting list of a list field's one
    /// code (a district's articles) when it is shorter than what the cheapest conjunct's
    /// scan would read (a date test reads the zones it cannot skip; another column test
    /// reads every row), else from that cheapest conjunct if it is a plain column test.
    /// The other conjuncts follow.
    static func narrowestScan(_ source: SourceKind, _ residual: [BoundFilter], store: Store) -> (
        RowPlan, [BoundFilter]
    )? {
        if source == .articles {
            var scanRows = store.articles.count
            if let first = residual.first, case .dateWithin(let field, let lo, let hi, _) = first {
                scanRows = Executor(store: store).zoneScanRows(field == .published ? .published : .date, lo, hi)
            }
            for (k, f) in residual.enumerated() {
                guard case .codes(let field, let codes, _) = f, let code = codes.first,
                    case .listCode(let column, _)? = ColumnTest(f, source)
                else { continue }
                if ListPostings.of(store, field, column(store)).rows(of: code).count < scanRows {
                    var rest = residual
                    rest.remove(at: k)
                    return (.listPostings(f), rest)
                }
            }
        }
        if let first = residual.first, ColumnTest(first, source) != nil {
            return (.columnScan(source, first), Array(residual.dropFirst()))
        }
        return nil
    }

    /// Conjuncts (in the order they run) over a child: the leading plain column tests as
    /// one ColumnFilter, the rest as a Filter.
    static func filters(_ child: RowPlan, _ conjuncts: [BoundFilter], source: SourceKind) -> RowPlan {
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
        case .compare, .dateWithin, .known: return 1
        // district matches against the article's districts list.
        case .codes(let field, _, _): return field.type == .list || field == .district ? 3 : 1
        case .contains, .hasFigure: return 20
        case .search: return 60
        case .keyword: return 50
        case .not(let x): return cost(x) + 1
        case .and(let xs), .or(let xs): return xs.map(cost).reduce(0, +)
        }
    }
}
