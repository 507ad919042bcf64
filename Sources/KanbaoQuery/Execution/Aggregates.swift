// Grouping: into an array indexed by dictionary code (DenseAggregate), a table of
// integer keys (IntegerAggregate) or a table of cells (HashAggregate), with running
// totals per group; the planner chooses which.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    // MARK: grouping

    func aggregate(
        _ s: SourceKind, _ sel: [Int32], _ keys: [Field], _ aggs: [AggregateSpec], topN: Int?,
        method: AggregateMethod
    ) throws -> ResultTable {
        let access = access(s)
        // The fields whose numbers are summed (counts, shares and distinct counts read none).
        let fields = aggs.map { $0.function == .count || $0.function == .share ? nil : $0.field }
        // count(distinct FIELD): the values seen, per group and aggregate (HashAggregate only).
        let distinctSpecs = aggs.map { $0.distinct ? $0.field?.spec : nil }
        var distinct: [[Set<Cell>]] = []
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
                    if let existing = index[combo] {
                        g = existing
                    } else {
                        g = acc.addGroup()
                        index[combo] = g
                        groups.append(combo)
                        distinct.append(Array(repeating: [], count: aggs.count))
                    }
                    acc.add(row: r, group: g, fields: fields, access: access)
                    for (j, spec) in distinctSpecs.enumerated() {
                        guard let spec else { continue }
                        let c = access.cell(spec, r)
                        if c != .null { distinct[g][j].insert(c) }
                    }
                }
            }
        }
        if keys.isEmpty && groups.isEmpty {
            groups = [[]]
            _ = acc.addGroup()
            distinct.append(Array(repeating: [], count: aggs.count))
        }
        var rows = groups.enumerated().map { g, key in
            key
                + acc.cells(
                    group: g, aggs, total: sel.count, distinct: g < distinct.count ? distinct[g].map(\.count) : nil)
        }
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
            // Largest first, but a group with an unknown key after every known one.
            rows.sort { x, y in
                let xUnknown = x[..<k].contains(.null)
                let yUnknown = y[..<k].contains(.null)
                if xUnknown != yUnknown { return yUnknown }
                let c = compareCells(y[k], x[k])
                return c != 0 ? c < 0 : byKeys(x, y)
            }
        }
        if let t = topN { rows = Array(rows.prefix(t)) }
        var table = ResultTable(columns: keys.map(\.rawValue) + aggs.map(\.name), rows: rows)
        table.groupKeys = k
        table.twoDecimals = Set(
            aggs.indices.filter { aggs[$0].function == .avg || aggs[$0].function == .share }.map { k + $0 })
        return table
    }
}

/// A group key that is one integer per row: a dictionary code, an enumeration's code or
/// a part of the article's date, as the field catalog says.
struct IntegerKey: Sendable {
    let field: Field
    let store: Store
    let source: SourceKind
    let codes: FieldCodes?
    let datePart: DatePart?
    /// Months, quarters and years: every day of the store's date span mapped to a dense
    /// group number, so the date columns group like a dictionary code (no calendar
    /// arithmetic or hashing per row).
    let calendar: DayCalendar?

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
        self.calendar = spec.datePart.flatMap { part in store.dateSpan.flatMap { DayCalendar(part, span: $0) } }
    }

    /// Int64.min means null.
    @inline(__always) func key(_ row: Int32, _ a: ColumnBuffer<Int32>?) -> Int64 {
        let i = a.map { Int($0[Int(row)]) } ?? Int(row)
        switch codes {
        case .dictionary(let column, let figure):
            let c = column(store).code(figure ? Int(row) : i)
            return c < 0 ? .min : Int64(c)
        case .enumeration(let column, _, let figure):
            return Int64(column(store)[figure ? Int(row) : i])
        default:
            break
        }
        let art = store.articles
        let p = art.datePrecision[i]
        // A date part (DatePart.key): a day by its number and precision, a month by year
        // and month, …; a date too vague for the part is the null group.
        guard p != 0, let part = datePart, let k = part.key(day: art.dateFirst[i], precision: p) else { return .min }
        return k
    }

    /// The keys of a block of rows, into `out`: the column is found once per block and
    /// read in a plain loop (the per-row `key` for the date parts).
    func keys(of rows: UnsafeBufferPointer<Int32>, _ a: ColumnBuffer<Int32>?, into out: UnsafeMutablePointer<Int64>) {
        if case .enumeration(let column, _, let figureRows) = codes {
            column(store).withUnsafeBufferPointer { c in
                if let a, !figureRows {
                    a.withUnsafeBufferPointer { a in for k in 0..<rows.count { out[k] = Int64(c[Int(a[Int(rows[k])])]) }
                    }
                } else {
                    for k in 0..<rows.count { out[k] = Int64(c[Int(rows[k])]) }
                }
            }
            return
        }
        if let calendar {
            calendar.groups(of: rows, articleOf: a, store.articles, into: out)
            return
        }
        guard case .dictionary(let column, let figureRows) = codes else {
            for k in 0..<rows.count { out[k] = key(rows[k], a) }
            return
        }
        let dictionary = column(store)
        if dictionary.isNarrow {
            dictionary.narrowCodes.withUnsafeBufferPointer { c in
                if let a, !figureRows {
                    a.withUnsafeBufferPointer { a in
                        for k in 0..<rows.count {
                            let v = c[Int(a[Int(rows[k])])]
                            out[k] = v == 0 ? .min : Int64(v) - 1
                        }
                    }
                } else {
                    for k in 0..<rows.count {
                        let v = c[Int(rows[k])]
                        out[k] = v == 0 ? .min : Int64(v) - 1
                    }
                }
            }
            return
        }
        dictionary.codes.withUnsafeBufferPointer { c in
            if let a, !figureRows {
                a.withUnsafeBufferPointer { a in
                    for k in 0..<rows.count {
                        let v = c[Int(a[Int(rows[k])])]
                        out[k] = v < 0 ? .min : Int64(v)
                    }
                }
            } else {
                for k in 0..<rows.count {
                    let v = c[Int(rows[k])]
                    out[k] = v < 0 ? .min : Int64(v)
                }
            }
        }
    }

    /// Keys that are small dictionary codes: grouped into plain arrays, no hashing.
    var denseDomain: Int? {
        switch codes {
        case .dictionary(let column, _): return column(store).dictionary.count
        case .enumeration(_, let names, _): return names.count
        default: return calendar?.keys.count
        }
    }

    func cell(_ k: Int64) -> Cell {
        if k == .min { return .null }
        if let calendar, let part = datePart { return part.cell(calendar.keys[Int(k)]) }
        switch codes {
        case .dictionary(let column, _): return .text(column(store).dictionary[Int(k)])
        case .enumeration(_, let names, _): return .text(names[Int(k)])
        default: break
        }
        return datePart?.cell(k) ?? .null
    }
}

/// A date part (month, quarter, year) as dense group numbers over the days of a span:
/// `groupOfDay[day - firstDay]` is the group of a date starting that day, `keys[group]`
/// the part's key (DatePart.key). Days and weeks are not dense enough to be worth it.
struct DayCalendar: Sendable {
    let firstDay: Int32
    let groupOfDay: [Int32]
    let keys: [Int64]
    /// The least date precision the part needs (a month needs a month or a day).
    let precision: UInt8

    /// Spans over about 160 years fall back to hashing the keys.
    static let maxDays = 60_000

    init?(_ part: DatePart, span: ClosedRange<Int32>) {
        guard part == .month || part == .quarter || part == .year,
            Int(span.upperBound) - Int(span.lowerBound) < DayCalendar.maxDays
        else { return nil }
        firstDay = span.lowerBound
        precision = part == .year ? DatePrecision.year.rawValue : DatePrecision.month.rawValue
        var groups: [Int32] = []
        var keys: [Int64] = []
        for day in span {
            let k = part.key(day: day, precision: DatePrecision.day.rawValue)!
            if keys.last != k { keys.append(k) }
            groups.append(Int32(keys.count - 1))
        }
        groupOfDay = groups
        self.keys = keys
    }

    /// The groups of a block of rows (Int64.min for a date too vague, or none).
    func groups(
        of rows: UnsafeBufferPointer<Int32>, articleOf a: ColumnBuffer<Int32>?, _ articles: ArticleColumns,
        into out: UnsafeMutablePointer<Int64>
    ) {
        let need = precision
        let first = firstDay
        articles.dateFirst.withUnsafeBufferPointer { days in
            articles.datePrecision.withUnsafeBufferPointer { p in
                groupOfDay.withUnsafeBufferPointer { g in
                    for k in 0..<rows.count {
                        let i = a.map { Int($0[Int(rows[k])]) } ?? Int(rows[k])
                        out[k] = p[i] >= need ? Int64(g[Int(days[i] &- first)]) : .min
                    }
                }
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
    mutating func add(
        block rows: UnsafeBufferPointer<Int32>, groups: UnsafePointer<Int>, fields: [Field?],
        access: ColumnAccess, scratch: UnsafeMutablePointer<Double>
    ) {
        counts.withUnsafeMutableBufferPointer { c in for k in 0..<rows.count { c[groups[k]] += 1 } }
        let w = width
        for (j, f) in fields.enumerated() {
            guard let f else { continue }
            access.numbers(f, rows, into: scratch)
            totals.withUnsafeMutableBufferPointer { t in
                for k in 0..<rows.count { t[groups[k] * w + j].add(scratch[k]) }
            }
        }
    }

    /// Adds group `og` of `other` into group `g`.
    mutating func merge(_ g: Int, from other: Accumulators, _ og: Int) {
        counts[g] += other.counts[og]
        for j in 0..<width { totals[g * width + j].merge(other.totals[og * width + j]) }
    }

    /// The group's aggregates: `total` is every row grouped (for share), `distinct` the
    /// number of different values of each distinct count.
    func cells(group g: Int, _ aggs: [AggregateSpec], total: Int, distinct: [Int]?) -> [Cell] {
        aggs.enumerated().map { j, a in
            let t = totals[g * width + j]
            if a.distinct { return .int(distinct?[j] ?? 0) }
            if a.function == .count { return .int(counts[g]) }
            if a.function == .share { return total == 0 ? .null : .double(Double(counts[g]) * 100 / Double(total)) }
            guard t.count > 0 else { return .null }
            switch a.function {
            case .sum: return .double(t.sum)
            case .avg: return .double(t.sum / Double(t.count))
            case .min: return .double(t.min)
            case .max: return .double(t.max)
            case .count, .share: return .int(counts[g])
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

    /// Grouping on a small code domain: one slot per code (slot 0 is null), no hashing,
    /// half the rows on each core, then added together. A block of rows at a time: its
    /// keys in one loop, its slots in another, then the counts and values.
    func denseAggregate(_ s: SourceKind, _ sel: [Int32], _ key: IntegerKey, _ domain: Int, _ fields: [Field?]) throws
        -> ([[Cell]], Accumulators)
    {
        let access = access(s)
        let slots = domain + 1
        let fa: ColumnBuffer<Int32>? = s == .figures ? store.figures.article : nil
        let parts = try split(sel.count) { lo, hi, cancelled in
            var acc = Accumulators(width: fields.count, groups: slots)
            Executor.forEachBlock(sel, lo, hi, cancelled) { rows, keys, groups, scratch in
                key.keys(of: rows, fa, into: keys)
                for k in 0..<rows.count {
                    let kv = keys[k]
                    groups[k] = kv == .min ? 0 : Int(kv) + 1
                }
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
    func fastAggregate(_ s: SourceKind, _ sel: [Int32], _ key: IntegerKey, _ fields: [Field?]) throws -> (
        [[Cell]], Accumulators
    ) {
        let access = access(s)
        let fa: ColumnBuffer<Int32>? = s == .figures ? store.figures.article : nil
        let parts = try split(sel.count) { lo, hi, cancelled in
            var part = Partial(acc: Accumulators(width: fields.count))
            Executor.forEachBlock(sel, lo, hi, cancelled) { rows, keys, groups, scratch in
                key.keys(of: rows, fa, into: keys)
                var previous = Int64.min
                var previousGroup = -1
                for k in 0..<rows.count {
                    let kv = keys[k]
                    // Rows of one key often come together (a day, a month): one lookup for the run.
                    if kv == previous && previousGroup >= 0 {
                        groups[k] = previousGroup
                        continue
                    }
                    let g: Int
                    if let e = part.index[kv] {
                        g = e
                    } else {
                        g = part.acc.addGroup()
                        part.index[kv] = g
                        part.keys.append(kv)
                    }
                    groups[k] = g
                    previous = kv
                    previousGroup = g
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
    static func forEachBlock(
        _ sel: [Int32], _ lo: Int, _ hi: Int, _ cancelled: CancelProbe,
        _ body: (
            UnsafeBufferPointer<Int32>, UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int>,
            UnsafeMutablePointer<Double>
        ) -> Void
    ) {
        let n = Executor.blockRows
        let keys = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        let groups = UnsafeMutablePointer<Int>.allocate(capacity: n)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer {
            keys.deallocate()
            groups.deallocate()
            scratch.deallocate()
        }
        sel.withUnsafeBufferPointer { sel in
            var from = lo
            while from < hi && !cancelled.isCancelled {
                let to = Swift.min(hi, from + n)
                body(UnsafeBufferPointer(rebasing: sel[from..<to]), keys, groups, scratch)
                from = to
            }
        }
    }
}
