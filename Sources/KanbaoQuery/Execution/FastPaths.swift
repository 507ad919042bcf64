// Vectorised paths for the common shapes: grouping on a single-valued key (a dictionary
// code or a date part) and predicates on plain arrays. They read the columns directly,
// key groups by integers rather than cells, and split the rows between the cores; the
// general paths in Executor handle everything else.
import Foundation
import KanbaoOutput
import KanbaoStore

/// A group key that is one integer per row: a dictionary code, an enumeration's code or
/// a part of the article's date, as the field catalog says.
struct IntegerKey: Sendable {
    let field: Field
    let store: Store
    let source: SourceKind
    let codes: FieldCodes?
    let datePart: DatePart?

    /// nil when the field needs the general path (lists, text).
    init?(_ field: Field, store: Store, source: SourceKind) {
        let spec = field.spec
        switch spec.keyCodes {
        case .dictionary(_, let figure), .enumeration(_, _, let figure):
            if figure && source != .figures { return nil }
        case .list: return nil
        case nil: if spec.datePart == nil { return nil }
        }
        self.field = field
        self.store = store
        self.source = source
        self.codes = spec.keyCodes
        self.datePart = spec.datePart
    }

    /// Int64.min means null.
    @inline(__always) func key(_ row: Int32, _ a: ColumnBuffer<Int32>?) -> Int64 {
        let i = a.map { Int($0[Int(row)]) } ?? Int(row)
        switch codes {
        case .dictionary(let column, let figure):
            let c = column(store).codes[figure ? Int(row) : i]
            return c < 0 ? .min : Int64(c)
        case .enumeration(let column, _, let figure):
            return Int64(column(store)[figure ? Int(row) : i])
        default:
            break
        }
        let art = store.articles
        let p = art.datePrecision[i]
        if p == 0 || (datePart == .month && p < DatePrecision.month.rawValue) { return .min }
        let first = Int64(art.dateFirst[i])
        // Day number and precision identify a date; a month is keyed by its first day.
        if datePart == .day { return first << 2 | Int64(p) }
        let c = CivilDate.civil(Int32(first))
        return datePart == .year ? Int64(c.year) : Int64(c.year * 12 + c.month - 1)
    }

    /// The keys of a block of rows, into `out`: the column is found once per block and
    /// read in a plain loop (the per-row `key` for the date parts).
    func keys(of rows: UnsafeBufferPointer<Int32>, _ a: ColumnBuffer<Int32>?, into out: UnsafeMutablePointer<Int64>) {
        if case .enumeration(let column, _, let figureRows) = codes {
            column(store).withUnsafeBufferPointer { c in
                if let a, !figureRows {
                    a.withUnsafeBufferPointer { a in for k in 0..<rows.count { out[k] = Int64(c[Int(a[Int(rows[k])])]) } }
                } else {
                    for k in 0..<rows.count { out[k] = Int64(c[Int(rows[k])]) }
                }
            }
            return
        }
        guard case .dictionary(let column, let figureRows) = codes else {
            for k in 0..<rows.count { out[k] = key(rows[k], a) }
            return
        }
        column(store).codes.withUnsafeBufferPointer { c in
            if let a, !figureRows {
                a.withUnsafeBufferPointer { a in
                    for k in 0..<rows.count { let v = c[Int(a[Int(rows[k])])]; out[k] = v < 0 ? .min : Int64(v) }
                }
            } else {
                for k in 0..<rows.count { let v = c[Int(rows[k])]; out[k] = v < 0 ? .min : Int64(v) }
            }
        }
    }

    /// Keys that are small dictionary codes: grouped into plain arrays, no hashing.
    var denseDomain: Int? {
        switch codes {
        case .dictionary(let column, _): return column(store).dictionary.count
        case .enumeration(_, let names, _): return names.count
        default: return nil
        }
    }

    func cell(_ k: Int64) -> Cell {
        if k == .min { return .null }
        switch codes {
        case .dictionary(let column, _): return .text(column(store).dictionary[Int(k)])
        case .enumeration(_, let names, _): return .text(names[Int(k)])
        default: break
        }
        switch datePart {
        case .year: return .int(Int(k))
        case .month: return .text(PartialDate(year: Int(k) / 12, month: Int(k) % 12 + 1).description)
        default:
            let c = CivilDate.civil(Int32(k >> 2))
            switch DatePrecision(rawValue: UInt8(k & 3))! {
            case .day: return .date(PartialDate(year: c.year, month: c.month, day: c.day))
            case .month: return .date(PartialDate(year: c.year, month: c.month))
            default: return .date(PartialDate(year: c.year))
            }
        }
    }
}

/// Per-group running totals for the aggregates of a grouping, in flat arrays (`width`
/// aggregates per group): shared by every grouping path.
struct Accumulators: Sendable {
    /// One aggregate's running totals over one group; rows without a value (NaN) are
    /// left out.
    struct Totals: Sendable {
        var sum = 0.0, min = Double.infinity, max = -Double.infinity, count = 0

        @inline(__always) mutating func add(_ v: Double) {
            if v.isNaN { return }
            sum += v
            if v < min { min = v }
            if v > max { max = v }
            count += 1
        }

        mutating func merge(_ o: Totals) {
            sum += o.sum
            min = Swift.min(min, o.min)
            max = Swift.max(max, o.max)
            count += o.count
        }
    }

    let width: Int
    /// Rows per group.
    var counts: [Int] = []
    /// `width` totals per group, group after group.
    var totals: [Totals] = []

    init(width: Int, groups: Int = 0) {
        self.width = width
        for _ in 0..<groups { _ = addGroup() }
    }

    var groupCount: Int { counts.count }

    mutating func addGroup() -> Int {
        counts.append(0)
        totals += repeatElement(Totals(), count: width)
        return counts.count - 1
    }

    @inline(__always) mutating func add(row r: Int32, group g: Int, fields: [Field?], access: ColumnAccess) {
        counts[g] += 1
        for (j, f) in fields.enumerated() { if let f { totals[g * width + j].add(access.number(f, r)) } }
    }

    /// Adds a block of rows, row k to group `groups[k]`: counts first, then each
    /// aggregate's values gathered for the block and folded in, row order kept (so sums
    /// come out bit for bit as row-at-a-time adding gives them).
    mutating func add(block rows: UnsafeBufferPointer<Int32>, groups: UnsafePointer<Int>, fields: [Field?],
                      access: ColumnAccess, scratch: UnsafeMutablePointer<Double>) {
        counts.withUnsafeMutableBufferPointer { c in for k in 0..<rows.count { c[groups[k]] += 1 } }
        let w = width
        for (j, f) in fields.enumerated() {
            guard let f else { continue }
            access.numbers(f, rows, into: scratch)
            totals.withUnsafeMutableBufferPointer { t in for k in 0..<rows.count { t[groups[k] * w + j].add(scratch[k]) } }
        }
    }

    /// Adds group `og` of `other` into group `g`.
    mutating func merge(_ g: Int, from other: Accumulators, _ og: Int) {
        counts[g] += other.counts[og]
        for j in 0..<width { totals[g * width + j].merge(other.totals[og * width + j]) }
    }

    func cells(group g: Int, _ aggs: [AggregateSpec]) -> [Cell] {
        aggs.enumerated().map { j, a in
            let t = totals[g * width + j]
            if a.function == .count { return .int(counts[g]) }
            guard t.count > 0 else { return .null }
            switch a.function {
            case .sum: return .double(t.sum)
            case .avg: return .double(t.sum / Double(t.count))
            case .min: return .double(t.min)
            case .max: return .double(t.max)
            case .count: return .int(counts[g])
            }
        }
    }
}

extension Executor {
    struct Partial: Sendable {
        var index: [Int64: Int] = [:]
        var keys: [Int64] = []
        var acc: Accumulators
    }

    /// Rows per block in the vectorised loops: a grouping's keys, group numbers and values
    /// for a block stay in L1 while it is folded in; filters check for cancellation
    /// between blocks.
    static let blockRows = 2048

    /// Grouping on a small code domain: one slot per code (slot 0 is null), no hashing,
    /// half the rows on each core, then added together. A block of rows at a time: its
    /// keys in one loop, its slots in another, then the counts and values.
    func denseAggregate(_ s: SourceKind, _ sel: [Int32], _ key: IntegerKey, _ domain: Int, _ fields: [Field?]) throws -> ([[Cell]], Accumulators) {
        let access = ColumnAccess(store: store, source: s)
        let slots = domain + 1
        let fa: ColumnBuffer<Int32>? = s == .figures ? store.figures.article : nil
        let parts = try split(sel.count) { lo, hi, cancelled in
            var acc = Accumulators(width: fields.count, groups: slots)
            Executor.forEachBlock(sel, lo, hi, cancelled) { rows, keys, groups, scratch in
                key.keys(of: rows, fa, into: keys)
                for k in 0..<rows.count { let kv = keys[k]; groups[k] = kv == .min ? 0 : Int(kv) + 1 }
                acc.add(block: rows, groups: groups, fields: fields, access: access, scratch: scratch)
            }
            return acc
        }
        var total = parts[0]
        for p in parts.dropFirst() { for g in 0..<slots { total.merge(g, from: p, g) } }
        var groups: [[Cell]] = []
        var out = Accumulators(width: fields.count)
        for g in 0..<slots where total.counts[g] > 0 {
            groups.append([key.cell(g == 0 ? .min : Int64(g - 1))])
            out.merge(out.addGroup(), from: total, g)
        }
        return (groups, out)
    }

    /// Grouping on one integer key with a hash table per core, then merged.
    func fastAggregate(_ s: SourceKind, _ sel: [Int32], _ key: IntegerKey, _ fields: [Field?]) throws -> ([[Cell]], Accumulators) {
        let access = ColumnAccess(store: store, source: s)
        let fa: ColumnBuffer<Int32>? = s == .figures ? store.figures.article : nil
        let parts = try split(sel.count) { lo, hi, cancelled in
            var part = Partial(acc: Accumulators(width: fields.count))
            Executor.forEachBlock(sel, lo, hi, cancelled) { rows, keys, groups, scratch in
                key.keys(of: rows, fa, into: keys)
                var previous = Int64.min, previousGroup = -1
                for k in 0..<rows.count {
                    let kv = keys[k]
                    // Rows of one key often come together (a day, a month): one lookup for the run.
                    if kv == previous && previousGroup >= 0 { groups[k] = previousGroup; continue }
                    let g: Int
                    if let e = part.index[kv] { g = e } else {
                        g = part.acc.addGroup()
                        part.index[kv] = g
                        part.keys.append(kv)
                    }
                    groups[k] = g
                    previous = kv; previousGroup = g
                }
                part.acc.add(block: rows, groups: groups, fields: fields, access: access, scratch: scratch)
            }
            return part
        }
        // Merge in the first half's order, then the second's new keys.
        var merged = parts[0]
        for other in parts.dropFirst() {
            for (g, kv) in other.keys.enumerated() {
                if let e = merged.index[kv] {
                    merged.acc.merge(e, from: other.acc, g)
                } else {
                    let e = merged.acc.addGroup()
                    merged.index[kv] = e
                    merged.keys.append(kv)
                    merged.acc.merge(e, from: other.acc, g)
                }
            }
        }
        return (merged.keys.map { [key.cell($0)] }, merged.acc)
    }

    /// Calls `body` on the rows `sel[lo..<hi]` a block at a time, with scratch room for
    /// the block's keys, group numbers and values; stops early when the query is cancelled.
    static func forEachBlock(_ sel: [Int32], _ lo: Int, _ hi: Int, _ cancelled: CancelProbe,
                      _ body: (UnsafeBufferPointer<Int32>, UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<Double>) -> Void) {
        let n = Executor.blockRows
        let keys = UnsafeMutablePointer<Int64>.allocate(capacity: n), groups = UnsafeMutablePointer<Int>.allocate(capacity: n)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { keys.deallocate(); groups.deallocate(); scratch.deallocate() }
        sel.withUnsafeBufferPointer { sel in
            var from = lo
            while from < hi && !cancelled.isCancelled {
                let to = Swift.min(hi, from + n)
                body(UnsafeBufferPointer(rebasing: sel[from..<to]), keys, groups, scratch)
                from = to
            }
        }
    }

    /// Runs `body` on halves of 0..<n, one per core (on all of it, on this thread, below
    /// `rowsWorthSplitting`), and returns the parts' results in order; throws if the
    /// query was cancelled meanwhile.
    func split<R: Sendable>(_ n: Int, _ body: @escaping @Sendable (Int, Int, CancelProbe) -> R) throws -> [R] {
        // A few rows are not worth a second thread.
        let parts = n < Executor.rowsWorthSplitting ? 1 : 2
        let chunk = (n + parts - 1) / parts
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: parts)
        results.initialize(repeating: nil)
        defer { _ = results.deinitialize(); results.deallocate() }
        let box = ResultBox(results)
        let cancelled = CancelProbe(flag: cancel)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let lo = min(n, p * chunk), hi = min(n, lo + chunk)
            box.buffer[p] = body(lo, hi, cancelled)
        }
        try check()
        return results.map { $0! }
    }

    /// Fewer rows than this are worked on one thread. Tests set it to 0 to run the
    /// two-core paths (their halves and the joins) on the small seed corpus.
    @TaskLocal public static var rowsWorthSplitting = 4096

    final class ResultBox<R>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<R?>
        init(_ b: UnsafeMutableBufferPointer<R?>) { buffer = b }
    }

    struct CancelProbe: @unchecked Sendable {
        let flag: CancellationFlag?
        var isCancelled: Bool { flag?.isCancelled ?? false }
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

/// A list column (districts, places) names one code.
struct ListHolds: RowTest {
    let offsets: ColumnBuffer<Int32>, values: ColumnBuffer<Int32>, code: Int32, articleOf: ColumnBuffer<Int32>?
    @inline(__always) func callAsFunction(_ r: Int) -> Bool {
        let i = articleOf.map { Int($0[r]) } ?? r
        var k = Int(offsets[i])
        let end = Int(offsets[i + 1])
        while k < end { if values[k] == code { return true }; k += 1 }
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
            return try filterRows(sel, n, CodeIs(codes: column(store).codes, code: code, articleOf: figure ? nil : articleOf))
        case .listCode(let column, let code):
            let list = column(store)
            return try filterRows(sel, n, ListHolds(offsets: list.offsets, values: list.values.codes, code: code, articleOf: articleOf))
        case .published(let lo, let hi):
            // A publication date is a day: its first and last day are the same.
            return try filterRows(sel, n, DateWithin(precision: a.publishedSource, first: a.publishedDay, last: a.publishedDay, lo: lo, hi: hi, articleOf: articleOf))
        case .date(let lo, let hi):
            return try filterRows(sel, n, DateWithin(precision: a.datePrecision, first: a.dateFirst, last: a.dateLast, lo: lo, hi: hi, articleOf: articleOf))
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
                var k = 0, from = lo
                while from < hi && !cancelled.isCancelled {
                    let to = Swift.min(hi, from + T.rowsPerCheck)
                    if let sel {
                        sel.withUnsafeBufferPointer { sel in
                            for j in from..<to { let r = sel[j]; out[k] = r; k &+= Int(unsafeBitCast(test(Int(r)), to: UInt8.self)) }
                        }
                    } else {
                        for r in from..<to { out[k] = Int32(truncatingIfNeeded: r); k &+= Int(unsafeBitCast(test(r), to: UInt8.self)) }
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
