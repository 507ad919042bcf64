// Ordering rows and tables: a numeric key read a block at a time, text compared as
// UTF-8 bytes in place, top-k without sorting what it drops.
import Foundation
import KanbaoOutput
import KanbaoStore

extension Executor {
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
        if keys.count == 1, let field = Field.named(keys[0].column), let orderKey = field.spec.orderKey {
            // One key with an integer order (dates): one UInt64 per row that sorts nulls last
            // in either direction, so the comparisons are integer compares, ties by row. Each
            // core keys half the rows (and keeps its own top k); the halves are then merged.
            let desc = keys[0].descending
            let store = self.store
            let less: @Sendable ((UInt64, Int32), (UInt64, Int32)) -> Bool = { x, y in
                x.0 != y.0 ? x.0 < y.0 : x.1 < y.1
            }
            let rows = sel
            let parts = try split(sel.count) { lo, hi, _ in
                var keyed: [(UInt64, Int32)] = []
                keyed.reserveCapacity(hi - lo)
                rows.withUnsafeBufferPointer { rows in
                    for r in rows[lo..<hi] {
                        let key: UInt64
                        if let v = orderKey(store, access.article(r), Int(r)) {
                            let up = UInt64(bitPattern: v) ^ (1 << 63) // order-preserving signed → unsigned
                            key = desc ? ~up &- 1 : up // UInt64.max is kept for no value
                        } else {
                            key = .max
                        }
                        keyed.append((key, r))
                    }
                }
                return limit == nil ? keyed : Executor.ordered(keyed, limit: limit, by: less)
            }
            return try ordered(parts.count == 1 ? parts[0] : parts.flatMap { $0 }, limit: limit, by: less).map(\.1)
        }
        if keys.count == 1, let field = Field.named(keys[0].column), field == .title {
            // The title column: compare the UTF-8 bytes in place (byte order is code point
            // order), no String per row at all.
            let col = store.articles.title
            let desc = keys[0].descending
            return try ordered(sel, limit: limit) { x, y in
                let order = col.withBytes(access.article(x)) { a in
                    col.withBytes(access.article(y)) { b in
                        let c =
                            a.isEmpty || b.isEmpty ? 0 : memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count))
                        return c != 0 ? Int(c) : a.count - b.count
                    }
                }
                if order == 0 { return x < y }
                return desc ? order > 0 : order < 0
            }
        }
        if keys.count == 1, let field = Field.named(keys[0].column), field == .body {
            // The bodies: their UTF-16 units compared in place, in code point order.
            let col = store.articles.body
            let desc = keys[0].descending
            return try ordered(sel, limit: limit) { x, y in
                let order = col.withUnits(access.article(x)) { a in
                    col.withUnits(access.article(y)) { b in
                        for k in 0..<min(a.count, b.count) where a[k] != b[k] {
                            return UTF16Text.codePointOrder(a[k]) < UTF16Text.codePointOrder(b[k]) ? -1 : 1
                        }
                        return a.count - b.count
                    }
                }
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
}
