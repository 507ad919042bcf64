// Zone maps: for each block of `zoneRows` articles, the smallest and largest order key
// of a date field and the years its dates start in, made once per store on first use.
// Top k by date reads the zones that can hold one of the k best (Sorts.swift); a date
// test over all articles reads the zones that can meet its range (here).
import KanbaoOutput
import KanbaoStore

extension Executor {
    /// The smallest and largest order key in each block of `zoneRows` articles (rows
    /// with no value left out), kept by the store once made.
    struct ZoneMap: Sendable {
        let rows: Int
        var lo: [Int64] = []
        var hi: [Int64] = []
        /// The years a zone's dates start in, one bit for each (year mod 64): a zone of
        /// 2013's pages whose articles mention 2020 and 2022 has a range of 2013–2022 but
        /// three bits, so a test for 2021 still skips it.
        var years: [UInt64] = []

        static func yearBit(_ year: Int) -> UInt64 { 1 << UInt64(((year % 64) + 64) % 64) }
    }

    /// Articles per zone; tests make it small so that the seeds span many zones.
    @TaskLocal public static var zoneRows = 4096

    func zoneMap(_ field: Field, _ orderKey: @escaping @Sendable (Store, Int, Int) -> Int64?) -> ZoneMap {
        let rows = Executor.zoneRows
        return store.derived.value("zones of \(field.rawValue) by \(rows)") {
            var z = ZoneMap(rows: rows)
            let n = store.articles.count
            var start = 0
            while start < n {
                var lo = Int64.max
                var hi = Int64.min
                var years: UInt64 = 0
                var lastDay = Int64.min
                for i in start..<Swift.min(n, start + rows) {
                    if let k = orderKey(store, i, i) {
                        lo = Swift.min(lo, k)
                        hi = Swift.max(hi, k)
                        let day = k >> 2
                        if day != lastDay { // runs of one day are common: one calendar sum for the run
                            years |= ZoneMap.yearBit(CivilDate.civil(Int32(truncatingIfNeeded: day)).year)
                            lastDay = day
                        }
                    }
                }
                z.lo.append(lo)
                z.hi.append(hi)
                z.years.append(years)
                start += rows
            }
            return z
        }
    }

    /// The articles of the zones whose first days meet lo...hi (an article passes a date
    /// range only if its first day is in it), or nil when every zone does: a date test
    /// then reads those zones only.
    func zonePruned(_ field: Field, _ lo: Int32, _ hi: Int32) -> [Int32]? {
        guard let orderKey = field.spec.orderKey else { return nil }
        let zones = zoneMap(field, orderKey)
        let meeting = zonesMeeting(zones, lo, hi)
        guard meeting.count < zones.lo.count else { return nil }
        var rows: [Int32] = []
        let n = store.articles.count
        for b in meeting {
            let start = b * zones.rows
            rows.append(contentsOf: Int32(start)..<Int32(Swift.min(n, start + zones.rows)))
        }
        return rows
    }

    /// How many articles a date test over the whole table reads (those of the zones it
    /// cannot skip): what the planner weighs against a list's postings.
    func zoneScanRows(_ field: Field, _ lo: Int32, _ hi: Int32) -> Int {
        guard let orderKey = field.spec.orderKey else { return store.articles.count }
        let zones = zoneMap(field, orderKey)
        let n = store.articles.count
        return zonesMeeting(zones, lo, hi).reduce(0) { $0 + Swift.min(n, ($1 + 1) * zones.rows) - $1 * zones.rows }
    }

    /// The zones, in order, whose first days can meet lo...hi.
    func zonesMeeting(_ zones: ZoneMap, _ lo: Int32, _ hi: Int32) -> [Int] {
        // The years the range's first days can fall in (all, past 64 of them).
        let firstYear = CivilDate.civil(Swift.max(lo, -1_000_000)).year
        let lastYear = CivilDate.civil(Swift.min(hi, 3_000_000)).year
        var years: UInt64 = .max
        if lastYear - firstYear < 64 {
            years = 0
            for y in firstYear...lastYear { years |= ZoneMap.yearBit(y) }
        }
        return zones.lo.indices.filter { b in
            // Order keys are day << 2 | precision; a zone of undated articles has lo > hi.
            zones.lo[b] <= zones.hi[b] && zones.hi[b] >> 2 >= Int64(lo) && zones.lo[b] >> 2 <= Int64(hi)
                && zones.years[b] & years != 0
        }
    }
}
