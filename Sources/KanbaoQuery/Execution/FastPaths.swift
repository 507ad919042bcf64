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
    @inline(__always) func key(_ row: Int32, _ a: [Int32]?) -> Int64 {
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

extension Executor {
    struct Partial {
        var index: [Int64: Int] = [:]
        var keys: [Int64] = []
        var counts: [Int] = []
        var sums: [[Double]] = []
        var mins: [[Double]] = []
        var maxs: [[Double]] = []
        var valueCounts: [[Int]] = []
    }

    /// Grouping on a small code domain: one slot per code (slot 0 is null) in flat arrays,
    /// both cores, then added together.
    func denseAggregate(_ s: SourceKind, _ sel: [Int32], _ key: IntegerKey, _ domain: Int, _ aggs: [AggregateSpec]) throws -> [([Cell], Int, [Double], [Double], [Double], [Int])] {
        let access = ColumnAccess(store: store, source: s)
        let n = aggs.count, slots = domain + 1
        let parts = 2
        let chunk = (sel.count + parts - 1) / parts
        let results = UnsafeMutableBufferPointer<DensePartial>.allocate(capacity: parts)
        results.initialize(repeating: DensePartial(slots: slots, aggregates: n))
        defer { _ = results.deinitialize(); results.deallocate() }
        let box = DenseBox(results)
        let cancelled = CancelProbe(flag: cancel)
        let fa: [Int32]? = s == .figures ? store.figures.article : nil
        let fields = aggs.map(\.field)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            var part = DensePartial(slots: slots, aggregates: n)
            let lo = p * chunk, hi = min(sel.count, lo + chunk)
            var k = lo
            while k < hi {
                if k & 65535 == 0 && cancelled.isCancelled { break }
                let r = sel[k]
                let kv = key.key(r, fa)
                let g = kv == .min ? 0 : Int(kv) + 1
                part.counts[g] += 1
                for j in 0..<n {
                    guard let f = fields[j] else { continue }
                    let v = access.number(f, r)
                    if v.isNaN { continue }
                    let at = g * n + j
                    part.sums[at] += v
                    if v < part.mins[at] { part.mins[at] = v }
                    if v > part.maxs[at] { part.maxs[at] = v }
                    part.valueCounts[at] += 1
                }
                k += 1
            }
            box.parts[p] = part
        }
        try check()
        var total = results[0]
        for p in 1..<parts {
            let o = results[p]
            for g in 0..<slots { total.counts[g] += o.counts[g] }
            for at in 0..<(slots * n) {
                total.sums[at] += o.sums[at]
                total.mins[at] = min(total.mins[at], o.mins[at])
                total.maxs[at] = max(total.maxs[at], o.maxs[at])
                total.valueCounts[at] += o.valueCounts[at]
            }
        }
        var out: [([Cell], Int, [Double], [Double], [Double], [Int])] = []
        for g in 0..<slots where total.counts[g] > 0 {
            let r = (g * n)..<(g * n + n)
            out.append(([key.cell(g == 0 ? .min : Int64(g - 1))], total.counts[g], Array(total.sums[r]), Array(total.mins[r]),
                        Array(total.maxs[r]), Array(total.valueCounts[r])))
        }
        return out
    }

    struct DensePartial {
        var counts: [Int]
        var sums: [Double], mins: [Double], maxs: [Double]
        var valueCounts: [Int]
        init(slots: Int, aggregates n: Int) {
            counts = Array(repeating: 0, count: slots)
            sums = Array(repeating: 0, count: slots * n)
            mins = Array(repeating: .infinity, count: slots * n)
            maxs = Array(repeating: -.infinity, count: slots * n)
            valueCounts = Array(repeating: 0, count: slots * n)
        }
    }

    final class DenseBox: @unchecked Sendable {
        let parts: UnsafeMutableBufferPointer<DensePartial>
        init(_ p: UnsafeMutableBufferPointer<DensePartial>) { parts = p }
    }

    /// Grouping on one integer key, both cores, each half into its own table, then merged.
    func fastAggregate(_ s: SourceKind, _ sel: [Int32], _ key: IntegerKey, _ aggs: [AggregateSpec]) throws -> [([Cell], Int, [Double], [Double], [Double], [Int])] {
        let access = ColumnAccess(store: store, source: s)
        let n = aggs.count
        let parts = 2
        let chunk = (sel.count + parts - 1) / max(parts, 1)
        let results = UnsafeMutableBufferPointer<Partial>.allocate(capacity: parts)
        results.initialize(repeating: Partial())
        defer { _ = results.deinitialize(); results.deallocate() }
        let box = PartialBox(results)
        let cancelled = CancelProbe(flag: cancel)
        let figureArticles: [Int32]? = s == .figures ? store.figures.article : nil
        let fa = figureArticles
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            var part = Partial()
            let lo = p * chunk, hi = min(sel.count, lo + chunk)
            var k = lo
            while k < hi {
                if k & 16383 == 0 && cancelled.isCancelled { break }
                let r = sel[k]
                let kv = key.key(r, fa)
                let g: Int
                if let e = part.index[kv] { g = e } else {
                    g = part.keys.count
                    part.index[kv] = g
                    part.keys.append(kv)
                    part.counts.append(0)
                    part.sums.append(Array(repeating: 0, count: n)); part.mins.append(Array(repeating: .infinity, count: n))
                    part.maxs.append(Array(repeating: -.infinity, count: n)); part.valueCounts.append(Array(repeating: 0, count: n))
                }
                part.counts[g] += 1
                for (j, a) in aggs.enumerated() {
                    guard let f = a.field else { continue }
                    let v = access.number(f, r)
                    if v.isNaN { continue }
                    part.sums[g][j] += v
                    if v < part.mins[g][j] { part.mins[g][j] = v }
                    if v > part.maxs[g][j] { part.maxs[g][j] = v }
                    part.valueCounts[g][j] += 1
                }
                k += 1
            }
            box.parts[p] = part
        }
        try check()
        // Merge in the first half's order, then the second's new keys.
        var merged = results[0]
        for p in 1..<parts {
            let other = results[p]
            for (g, kv) in other.keys.enumerated() {
                if let e = merged.index[kv] {
                    merged.counts[e] += other.counts[g]
                    for j in 0..<n {
                        merged.sums[e][j] += other.sums[g][j]
                        merged.mins[e][j] = min(merged.mins[e][j], other.mins[g][j])
                        merged.maxs[e][j] = max(merged.maxs[e][j], other.maxs[g][j])
                        merged.valueCounts[e][j] += other.valueCounts[g][j]
                    }
                } else {
                    merged.index[kv] = merged.keys.count
                    merged.keys.append(kv); merged.counts.append(other.counts[g]); merged.sums.append(other.sums[g])
                    merged.mins.append(other.mins[g]); merged.maxs.append(other.maxs[g]); merged.valueCounts.append(other.valueCounts[g])
                }
            }
        }
        return merged.keys.enumerated().map { g, kv in
            ([key.cell(kv)], merged.counts[g], merged.sums[g], merged.mins[g], merged.maxs[g], merged.valueCounts[g])
        }
    }

    final class PartialBox: @unchecked Sendable {
        let parts: UnsafeMutableBufferPointer<Partial>
        init(_ p: UnsafeMutableBufferPointer<Partial>) { parts = p }
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
        let articleOf: [Int32]? = s == .figures ? store.figures.article : nil
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
    func collect(_ n: Int, _ body: @escaping @Sendable (Int, Int, inout [Int32]) -> Void) throws -> [Int32] {
        let parts = 2
        let chunk = (n + parts - 1) / parts
        let results = UnsafeMutableBufferPointer<[Int32]>.allocate(capacity: parts)
        results.initialize(repeating: [])
        defer { _ = results.deinitialize(); results.deallocate() }
        let box = SelectionBox(results)
        let cancelled = CancelProbe(flag: cancel)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            var out: [Int32] = []
            var lo = p * chunk
            let hi = min(n, lo + chunk)
            while lo < hi && !cancelled.isCancelled {
                let block = min(hi, lo + (1 << 18))
                body(lo, block, &out)
                lo = block
            }
            box.parts[p] = out
        }
        try check()
        var joined: [Int32] = []
        joined.reserveCapacity(results.reduce(0) { $0 + $1.count })
        for part in results { joined.append(contentsOf: part) }
        return joined
    }

    final class SelectionBox: @unchecked Sendable {
        let parts: UnsafeMutableBufferPointer<[Int32]>
        init(_ p: UnsafeMutableBufferPointer<[Int32]>) { parts = p }
    }
}
