// Filters over a selection vector: tests on plain columns (ColumnTest), run block by
// block on both cores with branch-free selection, and tests that read each row.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    /// Does a row have a value of this field? As the catalog says the field is kept.
    func knownTest(_ field: Field, _ access: ColumnAccess) -> (Int32) -> Bool {
        let a = store.articles
        let spec = field.spec
        if spec.datePart != nil { return { a.datePrecision[access.article($0)] != 0 } }
        if field == .published { return { a.publishedSource[access.article($0)] != 0 } }
        switch spec.filterCodes {
        case .list(let column):
            let list = column(store)
            return { !list.codes(access.article($0)).isEmpty }
        case .dictionary(let column, let figure):
            let c = column(store)
            return { c.code(figure ? Int($0) : access.article($0)) >= 0 }
        case .enumeration(let column, let names, let figure):
            let c = column(store)
            let none = names.firstIndex(of: "none").map(UInt8.init) ?? UInt8.max
            return { c[figure ? Int($0) : access.article($0)] != none }
        case nil:
            if field == .byline { return { a.hasByline[access.article($0)] } }
            return { !access.number(field, $0).isNaN }
        }
    }

    // MARK: predicates over a selection vector

    func evaluate(_ f: BoundFilter, _ s: SourceKind, _ sel: [Int32]) throws -> [Int32] {
        let access = access(s)
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
        case .known(let field):
            return try keep(knownTest(field, access))
        case .hasFigure(let inner):
            // The figures that pass, then their articles.
            let articles = self.articles(
                .figures, try evaluate(inner, .figures, (0..<Int32(store.figures.count)).map { $0 }))
            if s == .articles { return KeywordIndex.intersect(sel, articles) }
            let set = Set(articles)
            return try keep { set.contains(store.figures.article[Int($0)]) }
        case .and(let xs):
            var cur = sel
            for x in xs where !cur.isEmpty { cur = try evaluate(x, s, cur) } // in the planner's order
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
        case .search(let t, let scope):
            let matcher = TextMatcher(t)
            let store = self.store
            return try verifyPrefetching(sel, articleOf: s == .figures ? store.figures.article : nil) {
                matcher.holds(store, $0, scope)
            }
        case .dateWithin:
            return try columnFilter(ColumnTest(f, s)!, s, sel) // every date test is a column test
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
                let c = column(store)
                return try keep { r in codes.contains(c.code(figure ? Int(r) : access.article(r))) }
            case .enumeration(let column, _, let figure):
                let c = column(store)
                return try keep { r in codes.contains(Int32(c[figure ? Int(r) : access.article(r)])) }
            case nil:
                return []
            }
        case .contains(let field, let text):
            let needle = Array(text.utf8)
            switch field {
            case .context: return try keep { store.figureContextContains(Int($0), text) }
            case .raw: return try keep { store.figureRaw(Int($0)).contains(text) }
            case .byline: return try keep { a.byline.contains(row: access.article($0), needle) }
            default: return try keep { access.cell(field.rawValue, $0).text.contains(text) }
            }
        }
    }
}

/// A test on one row read straight from plain columns. Each shape is its own type, so
/// `Executor.filterRows` is compiled once per shape with the test inlined in its loop.
protocol RowTest: Sendable {
    func callAsFunction(_ row: Int) -> Bool
    /// Rows between checks for cancellation.
    static var rowsPerCheck: Int { get }
}

extension RowTest {
    static var rowsPerCheck: Int { Executor.blockRows }
}

/// A single-valued code column holds one code (unit, source, speaker). Figure rows reach
/// an article's column through `articleOf`.
struct CodeIs: RowTest {
    let codes: ColumnBuffer<Int32>, code: Int32, articleOf: ColumnBuffer<Int32>?
    @inline(__always) func callAsFunction(_ r: Int) -> Bool { codes[articleOf.map { Int($0[r]) } ?? r] == code }
}

/// The same for a column whose codes are one byte each (code + 1).
struct NarrowCodeIs: RowTest {
    let codes: ColumnBuffer<UInt8>, code: UInt8, articleOf: ColumnBuffer<Int32>?
    @inline(__always) func callAsFunction(_ r: Int) -> Bool { codes[articleOf.map { Int($0[r]) } ?? r] == code }
}

/// A list column (districts, places) names one code.
struct ListHolds: RowTest {
    let offsets: ColumnBuffer<Int32>, values: ColumnBuffer<Int32>, code: Int32, articleOf: ColumnBuffer<Int32>?
    @inline(__always) func callAsFunction(_ r: Int) -> Bool {
        let i = articleOf.map { Int($0[r]) } ?? r
        var k = Int(offsets[i])
        let end = Int(offsets[i + 1])
        while k < end {
            if values[k] == code { return true }
            k += 1
        }
        return false
    }
}

/// The article's date interval lies within [lo, hi].
struct DateWithin: RowTest {
    let precision: ColumnBuffer<UInt8>, first: ColumnBuffer<Int32>, last: ColumnBuffer<Int32>
    let lo: Int32, hi: Int32, articleOf: ColumnBuffer<Int32>?
    @inline(__always) func callAsFunction(_ r: Int) -> Bool {
        let i = articleOf.map { Int($0[r]) } ?? r
        return precision[i] != 0 && first[i] >= lo && last[i] <= hi
    }
}

/// A test that reads text, given as a closure (its cost is the reading, not the call).
struct TextTest: RowTest {
    let keep: @Sendable (Int32) -> Bool
    static var rowsPerCheck: Int { 256 }
    func callAsFunction(_ r: Int) -> Bool { keep(Int32(truncatingIfNeeded: r)) }
}

/// A figure's value compared with a number (a missing value, NaN, never passes).
struct ValueCompare: RowTest {
    let values: ColumnBuffer<Double>, op: ComparisonOp, bound: Double
    @inline(__always) func callAsFunction(_ r: Int) -> Bool {
        let x = values[r]
        switch op {
        case .gt: return x > bound
        case .ge: return x >= bound
        case .lt: return x < bound
        case .le: return x <= bound
        case .match, .eq: return x == bound
        case .ne: return !x.isNaN && x != bound
        }
    }
}

extension Executor {
    /// The rows that pass a test on plain columns (`ColumnTest`): of the whole table when
    /// `sel` is nil (no selection of all rows is built first), else of `sel`.
    func columnFilter(_ t: ColumnTest, _ s: SourceKind, _ sel: [Int32]?) throws -> [Int32] {
        let a = store.articles
        let articleOf: ColumnBuffer<Int32>? = s == .figures ? store.figures.article : nil
        let n = sel?.count ?? (s == .articles ? store.articles.count : store.figures.count)
        switch t {
        case .code(let column, let figure, let code):
            let c = column(store)
            if c.isNarrow {
                return try filterRows(
                    sel, n,
                    NarrowCodeIs(
                        codes: c.narrowCodes, code: UInt8(truncatingIfNeeded: code + 1),
                        articleOf: figure ? nil : articleOf))
            }
            return try filterRows(sel, n, CodeIs(codes: c.codes, code: code, articleOf: figure ? nil : articleOf))
        case .listCode(let column, let code):
            let list = column(store)
            return try filterRows(
                sel, n, ListHolds(offsets: list.offsets, values: list.values.codes, code: code, articleOf: articleOf))
        case .published(let lo, let hi), .date(let lo, let hi):
            let published: Bool
            if case .published = t { published = true } else { published = false }
            if s == .articles && sel == nil, let pruned = zonePruned(published ? .published : .date, lo, hi) {
                return try columnFilter(t, s, pruned)
            }
            // A publication date is a day: its first and last day are the same.
            return try filterRows(
                sel, n,
                DateWithin(
                    precision: published ? a.publishedSource : a.datePrecision,
                    first: published ? a.publishedDay : a.dateFirst, last: published ? a.publishedDay : a.dateLast,
                    lo: lo, hi: hi, articleOf: articleOf))
        case .value(let op, let v):
            return try filterRows(sel, n, ValueCompare(values: store.figures.value, op: op, bound: v))
        }
    }

    /// The rows of `sel` (or of 0..<n) that pass `test`, half on each core, in order. Each
    /// row is written to the output and the cursor moves on only when it passes: no
    /// branch on the test, so a test that passes at random costs no mispredictions.
    func filterRows<T: RowTest>(_ sel: [Int32]?, _ n: Int, _ test: T) throws -> [Int32] {
        let parts = try split(n) { lo, hi, cancelled -> [Int32] in
            guard hi > lo else { return [] }
            return [Int32](unsafeUninitializedCapacity: hi - lo) { out, count in
                var k = 0
                var from = lo
                while from < hi && !cancelled.isCancelled {
                    let to = Swift.min(hi, from + T.rowsPerCheck)
                    if let sel {
                        sel.withUnsafeBufferPointer { sel in
                            for j in from..<to {
                                let r = sel[j]
                                out[k] = r
                                k &+= Int(unsafeBitCast(test(Int(r)), to: UInt8.self))
                            }
                        }
                    } else {
                        for r in from..<to {
                            out[k] = Int32(truncatingIfNeeded: r)
                            k &+= Int(unsafeBitCast(test(r), to: UInt8.self))
                        }
                    }
                    from = to
                }
                count = k
            }
        }
        return Executor.join(parts)
    }

    /// The parts' rows, one after the other.
    static func join(_ parts: [[Int32]]) -> [Int32] {
        if parts.count == 1 { return parts[0] }
        var joined: [Int32] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined.append(contentsOf: part) }
        return joined
    }

    /// The rows of `rows` whose body holds `needle`, half on each core; the body of the
    /// row `prefetchDistance` places ahead is asked for while a row is searched, so the
    /// search waits less on memory (bench/HISTORY.md).
    func verifyBodies(_ rows: [Int32], _ needle: SearchNeedle) throws -> [Int32] {
        let store = self.store
        return try verifyPrefetching(rows) { store.bodyHolds($0, needle) }
    }

    /// The rows of `rows` (articles, or figures with `articleOf`) that pass a test reading
    /// their article's body, half on each core, the body `prefetchDistance` rows ahead
    /// asked for while a row is tested.
    func verifyPrefetching(
        _ rows: [Int32], articleOf: ColumnBuffer<Int32>? = nil, _ test: @escaping @Sendable (Int) -> Bool
    ) throws -> [Int32] {
        let body = store.articles.body
        let ahead = Executor.prefetchDistance
        let parts = try split(rows.count) { lo, hi, cancelled -> [Int32] in
            rows.withUnsafeBufferPointer { c in
                [Int32](unsafeUninitializedCapacity: hi - lo) { out, count in
                    @inline(__always) func article(_ j: Int) -> Int {
                        articleOf.map { Int($0[Int(c[j])]) } ?? Int(c[j])
                    }
                    var k = 0
                    for j in lo..<hi {
                        if j & 255 == 0 && cancelled.isCancelled { break }
                        if ahead > 0 && j + ahead < hi { body.prefetch(row: article(j + ahead)) }
                        out[k] = c[j]
                        k &+= test(article(j)) ? 1 : 0
                    }
                    count = k
                }
            }
        }
        return Executor.join(parts)
    }

    static let prefetchDistance = Int(ProcessInfo.processInfo.environment["KANBAO_PREFETCH"] ?? "") ?? 3

    /// The rows (articles, or figures of them) whose headline or body, as the keyword's
    /// scope says, holds the keyword: its index candidates checked against the text.
    func verifyText(_ sel: [Int32], _ w: KeywordTerm, figureRows: Bool = false) throws -> [Int32] {
        let matcher = TextMatcher(.keyword(w.word))
        let store = self.store
        let scope = w.scope
        return try verify(sel) { r in
            matcher.holds(store, figureRows ? Int(store.figures.article[Int(r)]) : Int(r), scope)
        }
    }

    /// The rows that pass a test that reads text (a keyword's candidates checked against
    /// the text itself): half the rows on each core, in order.
    func verify(_ rows: [Int32], _ keep: @escaping @Sendable (Int32) -> Bool) throws -> [Int32] {
        try filterRows(rows, rows.count, TextTest(keep: keep))
    }
}

/// A filter that is one test on a plain column, run block by block on both cores. The
/// planner asks `ColumnTest(f, source)` whether a conjunct is one (and says so in the
/// plan); the executor runs what the plan says.
enum ColumnTest {
    case code(@Sendable (Store) -> DictionaryColumn, figure: Bool, Int32)
    case listCode(@Sendable (Store) -> DictionaryListColumn, Int32)
    case date(lo: Int32, hi: Int32)
    case published(lo: Int32, hi: Int32)
    case value(ComparisonOp, Double)

    init?(_ f: BoundFilter, _ s: SourceKind) {
        switch f {
        case .codes(let field, let codes, _) where codes.count == 1:
            switch field.spec.filterCodes {
            case .dictionary(let column, let figure):
                if figure && s != .figures { return nil }
                self = .code(column, figure: figure, codes.first!)
            case .list(let column):
                self = .listCode(column, codes.first!)
            default:
                return nil
            }
        case .dateWithin(.published, let lo, let hi, _): self = .published(lo: lo, hi: hi)
        case .dateWithin(_, let lo, let hi, _): self = .date(lo: lo, hi: hi)
        case .compare(.value, let op, let v) where s == .figures: self = .value(op, v)
        default: return nil
        }
    }
}
