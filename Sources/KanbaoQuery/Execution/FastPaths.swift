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

