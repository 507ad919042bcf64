// Vectorised paths for the common shapes: grouping on a single-valued key (a dictionary
// code or a date part) and predicates on plain arrays. They read the columns directly,
// key groups by integers rather than cells, and split the rows between the cores; the
// general paths in Executor handle everything else.
import Foundation
import KanbaoOutput
import KanbaoStore

/// A group key that is one integer per row.
struct IntegerKey: Sendable {
    let field: Field
    let store: Store
    let source: SourceKind

    /// nil when the field needs the general path (lists, text).
    init?(_ field: Field, store: Store, source: SourceKind) {
        switch field {
        case .district, .source, .speaker, .year, .month, .date, .datePrecision, .dateSource: break
        case .unit, .approx: if source != .figures { return nil }
        default: return nil
        }
        self.field = field
        self.store = store
        self.source = source
    }

    /// Int64.min means null.
    @inline(__always) func key(_ row: Int32, _ a: ColumnBuffer<Int32>?) -> Int64 {
        let i = a.map { Int($0[Int(row)]) } ?? Int(row)
        let art = store.articles
        switch field {
        case .district: let c = art.district.codes[i]; return c < 0 ? .min : Int64(c)
        case .source: return Int64(art.source.codes[i])
        case .speaker: let c = art.speaker.codes[i]; return c < 0 ? .min : Int64(c)
        case .datePrecision: return Int64(art.datePrecision[i])
        case .dateSource: return Int64(art.dateSource[i])
        case .unit: let c = store.figures.unit.codes[Int(row)]; return c < 0 ? .min : Int64(c)
        case .approx: return Int64(store.figures.approx[Int(row)])
        case .year, .month, .date:
            let p = art.datePrecision[i]
            if p == 0 || (field == .month && p < DatePrecision.month.rawValue) { return .min }
            let first = Int64(art.dateFirst[i])
            // Day number and precision identify a date; a month is keyed by its first day.
            if field == .date { return first << 2 | Int64(p) }
            let c = CivilDate.civil(Int32(first))
            return field == .year ? Int64(c.year) : Int64(c.year * 12 + c.month - 1)
        default: return .min
        }
    }

    /// Keys that are small dictionary codes: grouped into plain arrays, no hashing.
    var denseDomain: Int? {
        switch field {
        case .district: return store.articles.district.dictionary.count
        case .source: return store.articles.source.dictionary.count
        case .speaker: return store.articles.speaker.dictionary.count
        case .unit: return store.figures.unit.dictionary.count
        case .approx: return Approx.allCases.count
        case .datePrecision: return DatePrecision.allCases.count
        case .dateSource: return DateSource.allCases.count
        default: return nil
        }
    }

    func cell(_ k: Int64) -> Cell {
        if k == .min { return .null }
        let art = store.articles
        switch field {
        case .district: return .text(art.district.dictionary[Int(k)])
        case .source: return .text(art.source.dictionary[Int(k)])
        case .speaker: return .text(art.speaker.dictionary[Int(k)])
        case .datePrecision: return .text(DatePrecision(rawValue: UInt8(k))!.name)
        case .dateSource: return .text(DateSource(rawValue: UInt8(k))!.name)
        case .unit: return .text(store.figures.unit.dictionary[Int(k)])
        case .approx: return .text(Approx(rawValue: UInt8(k))!.name)
        case .year: return .int(Int(k))
        case .month: return .text(PartialDate(year: Int(k) / 12, month: Int(k) % 12 + 1).description)
        case .date:
            let c = CivilDate.civil(Int32(k >> 2))
            switch DatePrecision(rawValue: UInt8(k & 3))! {
            case .day: return .date(PartialDate(year: c.year, month: c.month, day: c.day))
            case .month: return .date(PartialDate(year: c.year, month: c.month))
            default: return .date(PartialDate(year: c.year))
            }
        default: return .null
        }
    }
}

/// Per-group running totals for the aggregates of a grouping, in flat arrays (`width`
/// aggregates per group): shared by every grouping path.
struct Accumulators: Sendable {
    let width: Int
    var counts: [Int] = []
    var sums: [Double] = [], mins: [Double] = [], maxs: [Double] = []
    var valueCounts: [Int] = []

    init(width: Int, groups: Int = 0) {
        self.width = width
        for _ in 0..<groups { _ = addGroup() }
    }

    var groupCount: Int { counts.count }

    mutating func addGroup() -> Int {
        counts.append(0)
        sums += repeatElement(0, count: width)
        mins += repeatElement(.infinity, count: width)
        maxs += repeatElement(-.infinity, count: width)
        valueCounts += repeatElement(0, count: width)
        return counts.count - 1
    }

    @inline(__always) mutating func add(row r: Int32, group g: Int, fields: [Field?], access: ColumnAccess) {
        counts[g] += 1
        for j in 0..<width {
            guard let f = fields[j] else { continue }
            let v = access.number(f, r)
            if v.isNaN { continue }
            let at = g * width + j
            sums[at] += v
            if v < mins[at] { mins[at] = v }
            if v > maxs[at] { maxs[at] = v }
            valueCounts[at] += 1
        }
    }

    /// Adds group `og` of `other` into group `g`.
    mutating func merge(_ g: Int, from other: Accumulators, _ og: Int) {
        counts[g] += other.counts[og]
        for j in 0..<width {
            let a = g * width + j, b = og * width + j
            sums[a] += other.sums[b]
            mins[a] = min(mins[a], other.mins[b])
            maxs[a] = max(maxs[a], other.maxs[b])
            valueCounts[a] += other.valueCounts[b]
        }
    }

    func cells(group g: Int, _ aggs: [AggregateSpec]) -> [Cell] {
        aggs.enumerated().map { j, a in
            let at = g * width + j
            if a.function == .count { return .int(counts[g]) }
            guard valueCounts[at] > 0 else { return .null }
            switch a.function {
            case .sum: return .double(sums[at])
            case .avg: return .double(sums[at] / Double(valueCounts[at]))
            case .min: return .double(mins[at])
            case .max: return .double(maxs[at])
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

    /// Grouping on a small code domain: one slot per code (slot 0 is null), no hashing,
    /// half the rows on each core, then added together.
    func denseAggregate(_ s: SourceKind, _ sel: [Int32], _ key: IntegerKey, _ domain: Int, _ fields: [Field?]) throws -> ([[Cell]], Accumulators) {
        let access = ColumnAccess(store: store, source: s)
        let slots = domain + 1
        let fa: ColumnBuffer<Int32>? = s == .figures ? store.figures.article : nil
        let countOnly = fields.allSatisfy { $0 == nil }
        let parts = try split(sel.count) { lo, hi, cancelled in
            var acc = Accumulators(width: fields.count, groups: slots)
            var k = lo
            while k < hi {
                if k & 65535 == 0 && cancelled.isCancelled { break }
                let kv = key.key(sel[k], fa)
                let g = kv == .min ? 0 : Int(kv) + 1
                // Counting alone (count by, top) needs no per-row call.
                if countOnly { acc.counts[g] += 1 } else { acc.add(row: sel[k], group: g, fields: fields, access: access) }
                k += 1
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
        let countOnly = fields.allSatisfy { $0 == nil }
        let parts = try split(sel.count) { lo, hi, cancelled in
            var part = Partial(acc: Accumulators(width: fields.count))
            var k = lo
            while k < hi {
                if k & 16383 == 0 && cancelled.isCancelled { break }
                let r = sel[k]
                let kv = key.key(r, fa)
                let g: Int
                if let e = part.index[kv] { g = e } else {
                    g = part.acc.addGroup()
                    part.index[kv] = g
                    part.keys.append(kv)
                }
                if countOnly { part.acc.counts[g] += 1 } else { part.acc.add(row: r, group: g, fields: fields, access: access) }
                k += 1
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

    /// Runs `body` on halves of 0..<n, one per core, and returns the halves' results in
    /// order; throws if the query was cancelled meanwhile.
    func split<R: Sendable>(_ n: Int, _ body: @escaping @Sendable (Int, Int, CancelProbe) -> R) throws -> [R] {
        let parts = 2
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

    final class ResultBox<R>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<R?>
        init(_ b: UnsafeMutableBufferPointer<R?>) { buffer = b }
    }

    struct CancelProbe: @unchecked Sendable {
        let flag: CancellationFlag?
        var isCancelled: Bool { flag?.isCancelled ?? false }
    }
}

extension Executor {
    /// Rows of the whole table that pass one simple test, without first building the
    /// selection of all rows: each core loops over half the rows (one closure call per
    /// half, the test inlined in its loop). nil when the test is not one of these shapes.
    func scanFiltered(_ s: SourceKind, _ f: BoundFilter) throws -> [Int32]? {
        let n = s == .articles ? store.articles.count : store.figures.count
        let a = store.articles
        let articleOf: ColumnBuffer<Int32>? = s == .figures ? store.figures.article : nil
        switch f {
        case .codes(.unit, let codes, _) where s == .figures && codes.count == 1:
            let c = codes.first!, u = store.figures.unit.codes
            return try collect(n) { lo, hi, out in for r in lo..<hi where u[r] == c { out.append(Int32(r)) } }
        case .compare(.value, let op, let v) where s == .figures:
            let x = store.figures.value
            switch op {
            case .gt: return try collect(n) { lo, hi, out in for r in lo..<hi where x[r] > v { out.append(Int32(r)) } }
            case .ge: return try collect(n) { lo, hi, out in for r in lo..<hi where x[r] >= v { out.append(Int32(r)) } }
            case .lt: return try collect(n) { lo, hi, out in for r in lo..<hi where x[r] < v { out.append(Int32(r)) } }
            case .le: return try collect(n) { lo, hi, out in for r in lo..<hi where x[r] <= v { out.append(Int32(r)) } }
            default: return nil
            }
        case .dateWithin(let lo, let hi, _):
            let p = a.datePrecision, first = a.dateFirst, last = a.dateLast
            return try collect(n) { from, to, out in
                for r in from..<to {
                    let i = articleOf.map { Int($0[r]) } ?? r
                    if p[i] != 0 && first[i] >= lo && last[i] <= hi { out.append(Int32(r)) }
                }
            }
        case .codes(let field, let codes, _) where codes.count == 1 && (field == .district || field == .districts || field == .place):
            let c = codes.first!
            let list = field == .place ? a.places : a.districts
            let offsets = list.offsets, values = list.values.codes
            return try collect(n) { from, to, out in
                for r in from..<to {
                    let i = articleOf.map { Int($0[r]) } ?? r
                    var k = Int(offsets[i])
                    let end = Int(offsets[i + 1])
                    while k < end { if values[k] == c { out.append(Int32(r)); break }; k += 1 }
                }
            }
        default:
            return nil
        }
    }

    /// Splits 0..<n between the cores in blocks, checking for cancellation between blocks,
    /// and joins the rows each found, in order.
    /// The rows that pass a test that reads text (a keyword's candidates checked against
    /// the text itself): half the rows on each core, in order.
    func verify(_ rows: [Int32], _ keep: @escaping @Sendable (Int32) -> Bool) throws -> [Int32] {
        if rows.count < 512 {
            var out: [Int32] = []
            for (k, r) in rows.enumerated() {
                if k & 255 == 0 { try check() }
                if keep(r) { out.append(r) }
            }
            return out
        }
        return try collect(rows.count) { lo, hi, out in
            for k in lo..<hi where keep(rows[k]) { out.append(rows[k]) }
        }
    }

    func collect(_ n: Int, _ body: @escaping @Sendable (Int, Int, inout [Int32]) -> Void) throws -> [Int32] {
        let parts = try split(n) { lo, hi, cancelled -> [Int32] in
            var out: [Int32] = []
            var from = lo
            while from < hi && !cancelled.isCancelled {
                let block = min(hi, from + (1 << 12))
                body(from, block, &out)
                from = block
            }
            return out
        }
        var joined: [Int32] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined.append(contentsOf: part) }
        return joined
    }
}
