// Ordering rows and tables: a number or a date made one order-preserving integer per
// row (each core keying half the rows), text compared in place, and top-k in a heap
// that never sorts what it drops.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
    // MARK: ordering

    func sortRows(_ s: SourceKind, _ sel: [Int32], _ keys: [SortKey], limit: Int?) throws -> [Int32] {
        let access = access(s)
        if keys.count == 1, let field = Field.named(keys[0].column), field.type == .number, field != .figures {
            // One numeric key: each double made an order-preserving integer, read a block at
            // a time (a plain column read where the field is one). NaN (no value) sorts
            // last either way; ties keep row order, as the general path does.
            let desc = keys[0].descending
            return try orderedByKey(sel, limit: limit) { rows, keys in
                let values = UnsafeMutablePointer<Double>.allocate(capacity: rows.count)
                defer { values.deallocate() }
                access.numbers(field, rows, into: values)
                for k in 0..<rows.count { keys[k] = Executor.orderKey(values[k], descending: desc) }
            }
        }
        if keys.count == 1, let field = Field.named(keys[0].column), let orderKey = field.spec.orderKey {
            // One key with an integer order (dates).
            let desc = keys[0].descending
            let store = self.store
            if let k = limit, s == .articles {
                return try topByZones(sel, k, field: field, desc: desc, orderKey)
            }
            return try orderedByKey(sel, limit: limit) { rows, keys in
                for k in 0..<rows.count {
                    let r = rows[k]
                    keys[k] = Executor.orderKey(orderKey(store, access.article(r), Int(r)), descending: desc)
                }
            }
        }
        if keys.count == 1, let field = Field.named(keys[0].column), field == .title || field == .body {
            // A text column compared in place, in code point order, no String per row: the
            // titles' UTF-8 bytes (byte order is code point order), the bodies' UTF-16 units.
            let title = store.articles.title
            let body = store.articles.body
            let compare: (Int, Int) -> Int =
                field == .title
                ? { i, j in
                    title.withBytes(i) { a in
                        title.withBytes(j) { b in
                            let c =
                                a.isEmpty || b.isEmpty
                                ? 0 : memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count))
                            return c != 0 ? Int(c) : a.count - b.count
                        }
                    }
                }
                : { i, j in
                    body.withUnits(i) { a in
                        body.withUnits(j) { b in
                            for k in 0..<min(a.count, b.count) where a[k] != b[k] {
                                return UTF16Text.codePointOrder(a[k]) < UTF16Text.codePointOrder(b[k]) ? -1 : 1
                            }
                            return a.count - b.count
                        }
                    }
                }
            let desc = keys[0].descending
            return try ordered(sel, limit: limit) { x, y in
                let order = compare(access.article(x), access.article(y))
                if order == 0 { return x < y }
                return desc ? order > 0 : order < 0
            }
        }
        if keys.count == 1 {
            // One key: a cell per row, no array per row to allocate and free.
            let column = keys[0].column
            let desc = keys[0].descending
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

    /// Rows ordered by one UInt64 key each (smaller first, ties by row), the keys made a
    /// block at a time by `makeKeys`. Each core keys half the rows and keeps its own top
    /// `limit`; the halves are then merged.
    func orderedByKey(
        _ sel: [Int32], limit: Int?,
        _ makeKeys: @escaping @Sendable (UnsafeBufferPointer<Int32>, UnsafeMutablePointer<UInt64>) -> Void
    ) throws -> [Int32] {
        let less: @Sendable ((UInt64, Int32), (UInt64, Int32)) -> Bool = { x, y in x.0 != y.0 ? x.0 < y.0 : x.1 < y.1 }
        let parts = try split(sel.count) { lo, hi, cancelled in
            var keyed: [(UInt64, Int32)] = []
            keyed.reserveCapacity(hi - lo)
            let block = Executor.blockRows
            let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: block)
            defer { keys.deallocate() }
            sel.withUnsafeBufferPointer { rows in
                var from = lo
                while from < hi && !cancelled.isCancelled {
                    let to = Swift.min(hi, from + block)
                    makeKeys(UnsafeBufferPointer(rebasing: rows[from..<to]), keys)
                    for k in from..<to { keyed.append((keys[k - from], rows[k])) }
                    from = to
                }
            }
            return limit == nil ? keyed : Executor.ordered(keyed, limit: limit, by: less)
        }
        return try ordered(parts.count == 1 ? parts[0] : parts.flatMap { $0 }, limit: limit, by: less).map(\.1)
    }

    /// The first `k` articles of `sel` by an integer order key, reading only the blocks of
    /// rows that can hold one: blocks in order of the best key they may have (their zone
    /// map's), stopping once the k best found so far all beat the next block's best.
    /// Pages arrive in date order in most corpora, so a newest-first list reads a block
    /// or two instead of every row.
    func topByZones(
        _ sel: [Int32], _ k: Int, field: Field, desc: Bool, _ orderKey: @escaping @Sendable (Store, Int, Int) -> Int64?
    ) throws -> [Int32] {
        guard k > 0 else { return [] }
        let zones = zoneMap(field, orderKey)
        // The selected rows of each block: ranges of `sel`, which is sorted.
        var ranges: [(block: Int, range: Range<Int>)] = []
        sel.withUnsafeBufferPointer { rows in
            var at = 0
            while at < rows.count {
                let b = Int(rows[at]) / zones.rows
                // The first row of a later block: a binary search from here.
                let next = Int32(truncatingIfNeeded: (b + 1) * zones.rows)
                var lo = at
                var hi = rows.count
                while lo < hi {
                    let m = (lo + hi) / 2
                    if rows[m] < next { lo = m + 1 } else { hi = m }
                }
                ranges.append((b, at..<lo))
                at = lo
            }
        }
        // A block's best possible key (a block of undated rows only has none: its rows
        // all key as .max, after every dated row).
        func best(_ b: Int) -> UInt64 {
            if zones.lo[b] > zones.hi[b] { return .max }
            return Executor.orderKey(desc ? zones.hi[b] : zones.lo[b], descending: desc)
        }
        ranges.sort { best($0.block) < best($1.block) || (best($0.block) == best($1.block) && $0.block < $1.block) }
        var top: [(UInt64, Int32)] = []
        let less: ((UInt64, Int32), (UInt64, Int32)) -> Bool = { x, y in x.0 != y.0 ? x.0 < y.0 : x.1 < y.1 }
        for (block, range) in ranges {
            try check()
            if top.count == k, let worst = top.last, best(block) > worst.0 { break }
            for j in range {
                let r = sel[j]
                top.append((Executor.orderKey(orderKey(store, Int(r), Int(r)), descending: desc), r))
            }
            top = Executor.ordered(top, limit: k, by: less)
            if top.count > k { top.removeLast(top.count - k) }
        }
        return top.map(\.1)
    }

    /// An integer that orders as the number does (NaN, no value, after every number in
    /// either direction; -0 as 0).
    @inline(__always) static func orderKey(_ v: Double, descending: Bool) -> UInt64 {
        if v.isNaN { return .max }
        let bits = (v == 0 ? 0.0 : v).bitPattern
        let up = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        return descending ? ~up &- 1 : up
    }

    /// The same for a signed integer key (nil, no value, last).
    @inline(__always) static func orderKey(_ v: Int64?, descending: Bool) -> UInt64 {
        guard let v else { return .max }
        let up = UInt64(bitPattern: v) ^ (1 << 63)
        return descending ? ~up &- 1 : up
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
            // A heap of the best n so far, the worst of them on top: an item that does not
            // beat it costs one comparison.
            var heap: [T] = []
            heap.reserveCapacity(n)
            func siftDown(_ start: Int) {
                var i = start
                while true {
                    let l = 2 * i + 1
                    let r = l + 1
                    var worst = i
                    if l < heap.count && less(heap[worst], heap[l]) { worst = l }
                    if r < heap.count && less(heap[worst], heap[r]) { worst = r }
                    if worst == i { return }
                    heap.swapAt(i, worst)
                    i = worst
                }
            }
            guard n > 0 else { return [] }
            for it in items {
                if heap.count < n {
                    heap.append(it)
                    var i = heap.count - 1
                    while i > 0 {
                        let p = (i - 1) / 2
                        guard less(heap[p], heap[i]) else { break }
                        heap.swapAt(p, i)
                        i = p
                    }
                } else if less(it, heap[0]) {
                    heap[0] = it
                    siftDown(0)
                }
            }
            return heap.sorted(by: less)
        }
        let sorted = items.sorted(by: less)
        return limit.map { Array(sorted.prefix($0)) } ?? sorted
    }
}
