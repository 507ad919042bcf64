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

    // MARK: index probes

    func postings(_ keyword: String, _ scope: KeywordScope) throws -> [Int32] {
        let needle = Array(keyword.utf8)
        func lookup(_ index: KeywordIndex, _ column: StringColumn) throws -> [Int32] {
            let (cands, exact) = index.candidates(keyword)
            if exact { return cands }
            return try verify(cands) { column.contains(row: Int($0), needle) }
        }
        switch scope {
        case .title: return try lookup(store.titleIndex, store.articles.headline.text)
        case .body: return try lookup(store.bodyIndex, store.articles.body)
        case .any:
            return KeywordIndex.union(try lookup(store.titleIndex, store.articles.headline.text),
                                      try lookup(store.bodyIndex, store.articles.body))
        }
    }

    /// Index candidates for a keyword in a scope, and whether they are exact.
    func candidateRows(_ keyword: String, _ scope: KeywordScope) -> ([Int32], Bool) {
        switch scope {
        case .title: return store.titleIndex.candidates(keyword)
        case .body: return store.bodyIndex.candidates(keyword)
        case .any:
            let t = store.titleIndex.candidates(keyword), b = store.bodyIndex.candidates(keyword)
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

    // MARK: predicates over a selection vector

    func evaluate(_ f: BoundFilter, _ s: SourceKind, _ sel: [Int32]) throws -> [Int32] {
        let access = ColumnAccess(store: store, source: s)
        func keep(_ test: (Int32) -> Bool) throws -> [Int32] {
            var out: [Int32] = []
            out.reserveCapacity(sel.count)
            for (k, r) in sel.enumerated() {
                if k & 4095 == 0 { try check() }
                if test(r) { out.append(r) }
            }
            return out
        }
        // A part of a compound test (or, not, and) that is a plain column test runs
        // vectorised on both cores.
        if let t = ColumnTest(f, s) { return try columnFilter(t, s, sel) }
        let a = store.articles
        switch f {
        case .constant(let b): return b ? sel : []
        case .and(let xs):
            var cur = sel
            for x in xs where !cur.isEmpty { cur = try evaluate(x, s, cur) }   // in the planner's order
            return cur
        case .or(let xs):
            var acc: [Int32] = []
            for x in xs { acc = KeywordIndex.union(acc, try evaluate(x, s, sel)) }
            return acc
        case .not(let x):
            return KeywordIndex.subtract(sel, try evaluate(x, s, sel))
        case .keyword(let k, let scope):
            // A keyword under an `or` with other fields: use its postings, then map to rows.
            let arts = try postings(k, scope)
            if s == .articles { return KeywordIndex.intersect(sel, arts) }
            let set = Set(arts)
            return try keep { set.contains(store.figures.article[Int($0)]) }
        case .dateWithin:
            return try columnFilter(ColumnTest(f, s)!, s, sel)   // every date test is a column test
        case .compare(let field, let op, let v):
            return try keep { r in
                let x = access.number(field, r)
                if x.isNaN { return false }
                switch op {
                case .match, .eq: return x == v
                case .ne: return x != v
                case .lt: return x < v
                case .le: return x <= v
                case .gt: return x > v
                case .ge: return x >= v
                }
            }
        case .codes(let field, let codes, _):
            // How the field's codes are kept, from the catalog: looked up once, each
            // column fetched once, then tested row by row.
            switch field.spec.filterCodes {
            case .list(let column):
                let list = column(store)
                return try keep { r in list.codes(access.article(r)).contains(where: codes.contains) }
            case .dictionary(let column, let figure):
                let c = column(store).codes
                return try keep { r in codes.contains(c[figure ? Int(r) : access.article(r)]) }
            case .enumeration(let column, _, let figure):
                let c = column(store)
                return try keep { r in codes.contains(Int32(c[figure ? Int(r) : access.article(r)])) }
            case nil:
                return []
            }
        case .contains(let field, let text):
            let needle = Array(text.utf8)
            switch field {
            case .context: return try keep { store.figureContextContains(Int($0), needle) }
            case .raw: return try keep { store.figureRaw(Int($0)).contains(text) }
            case .byline: return try keep { a.byline.contains(row: access.article($0), needle) }
            default: return try keep { access.cell(field.rawValue, $0).text.contains(text) }
            }
        }
    }

    // MARK: ordering

    func sortRows(_ s: SourceKind, _ sel: [Int32], _ keys: [SortKey], limit: Int?) throws -> [Int32] {
        let access = ColumnAccess(store: store, source: s)
        if keys.count == 1, let field = Field.named(keys[0].column), field.type == .number, field != .figures {
            // One numeric key: plain doubles, no cells. NaN (no value) sorts last either way;
            // ties keep row order, as the general path does.
            let desc = keys[0].descending
            var keyed: [(Double, Int32)] = []
            keyed.reserveCapacity(sel.count)
            // The numbers a block at a time: a plain column read where the field is one.
            var values = [Double](repeating: 0, count: 65536)
            var from = 0
            while from < sel.count {
                try check()
                let to = Swift.min(sel.count, from + values.count)
                sel.withUnsafeBufferPointer { rows in
                    values.withUnsafeMutableBufferPointer { out in
                        access.numbers(field, UnsafeBufferPointer(rebasing: rows[from..<to]), into: out.baseAddress!)
                    }
                }
                for k in from..<to { keyed.append((values[k - from], sel[k])) }
                from = to
            }
            func less(_ x: (Double, Int32), _ y: (Double, Int32)) -> Bool {
                if x.0.isNaN != y.0.isNaN { return !x.0.isNaN }
                if x.0 != y.0 && !x.0.isNaN { return desc ? x.0 > y.0 : x.0 < y.0 }
                return x.1 < y.1
            }
            return try ordered(keyed, limit: limit, by: less).map(\.1)
        }
        if keys.count == 1, let field = Field.named(keys[0].column), field == .title || field == .body {
            // A text column: compare the UTF-8 bytes in place (byte order is code point
            // order), no String per row at all.
            let col = field == .title ? store.articles.title : store.articles.body
            let desc = keys[0].descending
            let rowsOnly = sel
            return try col.heap.withUnsafeBytes { heap -> [Int32] in
                let base = heap.baseAddress!
                return try ordered(rowsOnly, limit: limit) { x, y in
                    let i = access.article(x), j = access.article(y)
                    let ai = col.offsets[i], al = col.offsets[i + 1] - ai
                    let bi = col.offsets[j], bl = col.offsets[j + 1] - bi
                    let c = memcmp(base + ai, base + bi, min(al, bl))
                    let order = c != 0 ? Int(c) : al - bl
                    if order == 0 { return x < y }
                    return desc ? order > 0 : order < 0
                }
            }
        }
        if keys.count == 1 {
            // One key: a cell per row, no array per row to allocate and free.
            let column = keys[0].column, desc = keys[0].descending
            var single: [(Cell, Int32)] = []
            single.reserveCapacity(sel.count)
            for (k, r) in sel.enumerated() {
                if k & 4095 == 0 { try check() }
                single.append((access.cell(column, r), r))
            }
            return try ordered(single, limit: limit) { x, y in
                var c = compareCells(x.0, y.0)
                if desc && x.0 != .null && y.0 != .null { c = -c }
                return c != 0 ? c < 0 : x.1 < y.1
            }.map(\.1)
        }
        var keyed: [(Int32, [Cell])] = []
        keyed.reserveCapacity(sel.count)
        for (k, r) in sel.enumerated() {
            if k & 4095 == 0 { try check() }
            keyed.append((r, keys.map { access.cell($0.column, r) }))
        }
        return try order(keyed, keys.map(\.descending), limit: limit).map(\.0)
    }

    func sortTable(_ t: ResultTable, _ keys: [SortKey], limit: Int?) throws -> ResultTable {
        let idx = keys.map { k in t.columns.firstIndex(of: k.column)! }
        let keyed = t.rows.enumerated().map { pair in (Int32(pair.offset), idx.map { pair.element[$0] }) }
        var out = t
        out.rows = try order(keyed, keys.map(\.descending), limit: limit).map { t.rows[Int($0.0)] }
        return out
    }

    /// Stable sort on the key cells; with a limit, only the first `limit` are kept sorted.
    func order(_ items: [(Int32, [Cell])], _ desc: [Bool], limit: Int?) throws -> [(Int32, [Cell])] {
        func less(_ x: (Int32, [Cell]), _ y: (Int32, [Cell])) -> Bool {
            for k in 0..<desc.count {
                var c = compareCells(x.1[k], y.1[k])
                // Nulls stay last in either direction.
                if desc[k] && x.1[k] != .null && y.1[k] != .null { c = -c }
                if c != 0 { return c < 0 }
            }
            return x.0 < y.0
        }
        return try ordered(items, limit: limit, by: less)
    }

    /// Sorted by `less`; with a limit much smaller than the input, a top-k buffer keeps
    /// only the best `limit` instead of sorting everything.
    func ordered<T>(_ items: [T], limit: Int?, by userLess: (T, T) -> Bool) throws -> [T] {
        // A sort cannot be stopped halfway, but once cancelled every comparison answers at
        // once, so the sort ends quickly and the cancellation is reported just after.
        let flag = cancel
        let less: (T, T) -> Bool = { a, b in
            if let f = flag, f.isCancelled { return false }
            return userLess(a, b)
        }
        let result = Executor.ordered(items, limit: limit, by: less)
        try check()
        return result
    }

    static func ordered<T>(_ items: [T], limit: Int?, by less: (T, T) -> Bool) -> [T] {
        if let n = limit, n < items.count / 4 {
            var best: [T] = []
            best.reserveCapacity(n + 1)
            for it in items {
                if best.count == n, let last = best.last, !less(it, last) { continue }
                let pos = best.firstIndex(where: { less(it, $0) }) ?? best.count
                best.insert(it, at: pos)
                if best.count > n { best.removeLast() }
            }
            return best
        }
        let sorted = items.sorted(by: less)
        return limit.map { Array(sorted.prefix($0)) } ?? sorted
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

    // MARK: grouping

    func aggregate(_ s: SourceKind, _ sel: [Int32], _ keys: [Field], _ aggs: [AggregateSpec], topN: Int?,
                   method: AggregateMethod) throws -> ResultTable {
        let access = ColumnAccess(store: store, source: s)
        let fields = aggs.map(\.field)
        var groups: [[Cell]] = []
        var acc = Accumulators(width: aggs.count)
        switch method {
        case .dense:
            let key = IntegerKey(keys[0], store: store, source: s)!
            (groups, acc) = try denseAggregate(s, sel, key, key.denseDomain!, fields)
        case .integer:
            (groups, acc) = try fastAggregate(s, sel, IntegerKey(keys[0], store: store, source: s)!, fields)
        case .hash:
            var index: [[Cell]: Int] = [:]
            for (k, r) in sel.enumerated() {
                if k & 4095 == 0 { try check() }
                // Every combination of the row's groups (list fields fan out).
                var combos: [[Cell]] = [[]]
                for key in keys {
                    let gs = access.groups(key, r)
                    combos = combos.flatMap { c in gs.map { c + [$0] } }
                }
                for combo in combos {
                    let g: Int
                    if let existing = index[combo] { g = existing } else {
                        g = acc.addGroup()
                        index[combo] = g
                        groups.append(combo)
                    }
                    acc.add(row: r, group: g, fields: fields, access: access)
                }
            }
        }
        if keys.isEmpty && groups.isEmpty {
            groups = [[]]
            _ = acc.addGroup()
        }
        var rows = groups.enumerated().map { g, key in key + acc.cells(group: g, aggs) }
        // `top` and `count by`: largest count first. Time keys (year, month, date) in time
        // order. `stats … by` with another first aggregate: by the keys.
        let k = keys.count
        func byKeys(_ x: [Cell], _ y: [Cell]) -> Bool {
            for i in 0..<k {
                let c = compareCells(x[i], y[i])
                if c != 0 { return c < 0 }
            }
            return false
        }
        let timeOrder = topN == nil && (keys.first?.isTime ?? false)
        let countOrder = topN != nil || aggs.first?.function == .count
        if timeOrder || !countOrder {
            rows.sort(by: byKeys)
        } else {
            rows.sort { x, y in
                let c = compareCells(y[k], x[k])
                return c != 0 ? c < 0 : byKeys(x, y)
            }
        }
        if let t = topN { rows = Array(rows.prefix(t)) }
        return ResultTable(columns: keys.map(\.rawValue) + aggs.map(\.name), rows: rows)
    }

    // MARK: keyword in context

    func kwic(_ s: SourceKind, _ sel: [Int32], _ terms: [String], _ width: Int) throws -> ResultTable {
        let access = ColumnAccess(store: store, source: s)
        var seen = Set<Int>()
        var rows: [[Cell]] = []
        var articlesWithHits = 0
        for r in sel {
            try check()
            let i = access.article(r)
            guard seen.insert(i).inserted else { continue }
            let body = Array(store.articles.body[i].unicodeScalars)
            var hits: [(Int, String)] = []
            for t in terms {
                let needle = Array(t.unicodeScalars)
                guard !needle.isEmpty, needle.count <= body.count else { continue }
                var k = 0
                while k + needle.count <= body.count {
                    if body[k] == needle[0] && Array(body[k..<(k + needle.count)]) == needle {
                        hits.append((k, t))
                        k += needle.count
                    } else {
                        k += 1
                    }
                }
            }
            if !hits.isEmpty { articlesWithHits += 1 }
            for (k, t) in hits.sorted(by: { $0.0 < $1.0 }) {
                let len = t.unicodeScalars.count
                let left = String(String.UnicodeScalarView(body[Swift.max(0, k - width)..<k])).map { $0 == "\n" ? " " : $0 }
                let right = String(String.UnicodeScalarView(body[(k + len)..<Swift.min(body.count, k + len + width)])).map { $0 == "\n" ? " " : $0 }
                rows.append([.int(i), .text(store.articles.title[i]), .text(String(left)), .text(t), .text(String(right))])
            }
        }
        var t = ResultTable(columns: ["id", "title", "left", "keyword", "right"], rows: rows)
        t.note = "\(rows.count) hit\(rows.count == 1 ? "" : "s") in \(articlesWithHits) article\(articlesWithHits == 1 ? "" : "s")"
        return t
    }
}
