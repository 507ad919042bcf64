// Building a keyword index: every character of every row is posted twice (its unigram and
// the bigram it ends), a billion posts for a million articles, so this loop is most of
// the cost of indexing. It is written for the cache, where its time goes (a post's work
// is a few instructions; its cost is the cache lines it touches):
//
// - One open-addressing table of 64-byte entries, each on its own cache line, holding
//   everything a post touches — the key, the last row seen, the row count, the list's
//   buffer and the list's newest bytes — so a post reads and writes one line. The newest
//   bytes of a list are staged in its entry and copied to the list's buffer ~30 bytes
//   at a time: writing each varint straight to the end of its own buffer touched a
//   second line per post, a different one for every key, and those misses were half the
//   loop's time.
// - Builders split the rows, not the keys: each reads and decodes only the rows it is
//   given, from its first row on, and the freeze joins each key's lists end to end in
//   row order (Store.buildIndexes gives each core half of the bodies' bytes). A builder
//   is told only its first row: its bitmaps grow as rows arrive.
// - Postings are delta-encoded as varints as they arrive (a frequent key's next row is
//   close to its last, one byte), and a list that outgrows a bitmap over the rows so far
//   becomes that bitmap (grown as rows arrive), so a builder holds little more than the
//   finished index.
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension KeywordIndex {
    public struct Builder: @unchecked Sendable {
        /// One key and its list while it is built, one cache line. `key` is the key + 1 (0
        /// marks an empty slot). The list is varints in `bytes[0 ..< used]` followed by the
        /// staged ones, or, once `used` is `Entry.bitmap`, a bitmap of the builder's rows
        /// (from `firstRow`) in `capacity` bytes, zero past the last row set.
        struct Entry {
            var key: UInt64
            var bytes: UnsafeMutablePointer<UInt8>?
            var last: Int32
            var count: UInt32
            var used: UInt32
            var capacity: UInt32
            /// The list's newest varints, not yet in `bytes`: `stagedBytes` bytes of data,
            /// then, in the last byte, how many there are.
            var staged: (UInt64, UInt64, UInt64, UInt64)
            static let bitmap = UInt32.max
            static var empty: Entry {
                Entry(key: 0, bytes: nil, last: 0, count: 0, used: 0, capacity: 0, staged: (0, 0, 0, 0))
            }
            /// Room for staged varints; the 32nd byte counts them.
            static let stagedBytes = 31
            var isBitmap: Bool { used == Entry.bitmap }
        }

        /// The table lives in a class so that its memory is freed with the last copy of the
        /// builder; the builder itself is only ever mutated by one thread. Entries are
        /// aligned to cache lines (malloc's 16-byte alignment would split one in four).
        final class Table {
            var entries: UnsafeMutablePointer<Entry>
            var mask: Int
            var keyCount = 0
            init(size: Int) {
                entries = Table.allocate(size)
                mask = size - 1
            }
            static func allocate(_ size: Int) -> UnsafeMutablePointer<Entry> {
                precondition(MemoryLayout<Entry>.stride == 64, "a builder entry must be one cache line")
                let raw = UnsafeMutableRawPointer.allocate(byteCount: size * 64, alignment: 64)
                let entries = raw.bindMemory(to: Entry.self, capacity: size)
                entries.initialize(repeating: .empty, count: size)
                return entries
            }
            deinit {
                for i in 0...mask where entries[i].key != 0 { free(entries[i].bytes) }
                entries.deallocate()
            }
        }

        let table = Table(size: 1 << 16)
        /// The rows (ascending) whose text differs from its folded form, and the kinds of
        /// folding each holds.
        public internal(set) var foldedRows: [Int32] = []
        public internal(set) var foldedKinds: [UInt8] = []
        /// The first row this builder indexes; bit 0 of its bitmaps stands for it.
        public let firstRow: Int

        public init(firstRow: Int = 0) {
            self.firstRow = firstRow
        }

        /// Posts `rows` of `column` (ascending from this builder's first row on, after any
        /// rows posted before).
        public mutating func add(column: StringColumn, rows: Range<Int>) {
            precondition(
                rows.lowerBound >= firstRow && rows.upperBound <= column.count, "rows outside the builder or the column"
            )
            column.heap.withUnsafeBufferPointer { heap in
                column.offsets.withUnsafeBufferPointer { offsets in
                    for row in rows {
                        let text = UnsafeBufferPointer(rebasing: heap[offsets[row]..<offsets[row + 1]])
                        add(row: Int32(row), utf8: text)
                    }
                }
            }
            flushStaged()
        }

        /// The same for a UTF-16 column (the bodies).
        public mutating func add(column: UTF16Column, rows: Range<Int>) {
            precondition(
                rows.lowerBound >= firstRow && rows.upperBound <= column.count, "rows outside the builder or the column"
            )
            column.units.withUnsafeBufferPointer { units in
                column.offsets.withUnsafeBufferPointer { offsets in
                    for row in rows {
                        add(
                            row: Int32(row),
                            utf16: UnsafeBufferPointer(rebasing: units[offsets[row]..<offsets[row + 1]]))
                    }
                }
            }
            flushStaged()
        }

        /// Moves every list's staged bytes into its buffer: between calls to `add`, a list
        /// is whole in `bytes`, as `values(of:)` and the freeze read it.
        func flushStaged() {
            for i in 0...table.mask where table.entries[i].key != 0 { Builder.flush(table.entries + i) }
        }

        /// Posts one row's text: each character, and each pair of adjacent characters
        /// unless either is a separator or the pair spans a paragraph break.
        mutating func add(row: Int32, utf8: UnsafeBufferPointer<UInt8>) {
            var i = 0
            add(row: row) {
                guard i < utf8.count else { return nil }
                let (v, next) = UTF8Scalars.decode(utf8, at: i)
                i = next
                return v
            }
        }

        mutating func add(row: Int32, utf16: UnsafeBufferPointer<UInt16>) {
            var i = 0
            add(row: row) {
                guard i < utf16.count else { return nil }
                let (v, next) = UTF16Text.decode(utf16, at: i)
                i = next
                return v
            }
        }

        /// Posts one row's scalars, read one at a time from `next` until it gives nil:
        /// each character, and each pair of adjacent characters unless either is a
        /// separator or the pair spans a paragraph break.
        /// Characters are posted folded (Folding.swift); a row whose text folding changes is
        /// noted in `foldedRows` with the kinds of folding it holds, so that a search knows
        /// which rows it must fold for which needles.
        @inline(__always) mutating func add(row: Int32, _ next: () -> UInt32?) {
            var prev: UInt32 = 0
            var hasPrev = false
            let fold = Folding.table
            while let raw = next() {
                var v = raw
                if raw < 0x10000 {
                    v = UInt32(fold[Int(raw)])
                    if v != raw {
                        let kind = Folding.kind(ofFolding: UInt16(raw))
                        if foldedRows.last != row {
                            foldedRows.append(row)
                            foldedKinds.append(kind)
                        } else {
                            foldedKinds[foldedKinds.count - 1] |= kind
                        }
                    }
                }
                if v == 0x0A {
                    hasPrev = false
                    continue
                } // paragraph breaks are not searchable
                post(KeywordIndex.key(v), row)
                if KeywordIndex.isSeparator(v) {
                    hasPrev = false
                    continue
                } // no bigram on either side
                if hasPrev { post(KeywordIndex.key(prev, v), row) }
                prev = v
                hasPrev = true
            }
        }

        @inline(__always) static func hash(_ k: UInt64) -> Int {
            Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 20)
        }

        @inline(__always) mutating func post(_ k: UInt64, _ row: Int32) {
            let t = table
            let stored = k &+ 1
            var h = Builder.hash(k) & t.mask
            while true {
                let e = t.entries + h
                if e.pointee.key == stored {
                    if e.pointee.last != row { append(row, to: e) }
                    return
                }
                if e.pointee.key == 0 {
                    e.pointee.key = stored
                    e.pointee.last = row
                    e.pointee.count = 1
                    Builder.writeVarint(UInt32(row + 1), to: e) // the first is a delta from -1
                    t.keyCount += 1
                    if t.keyCount * 2 > t.mask + 1 { grow() } // keep the table at most half full
                    return
                }
                h = (h + 1) & t.mask
            }
        }

        @inline(__always) func append(_ row: Int32, to e: UnsafeMutablePointer<Entry>) {
            let delta = UInt32(row - e.pointee.last)
            e.pointee.last = row
            e.pointee.count += 1
            let bit = Int(row) - firstRow
            if e.pointee.isBitmap {
                if bit >> 3 >= Int(e.pointee.capacity) { Builder.growBitmap(e, toHold: bit) }
                e.pointee.bytes.unsafelyUnwrapped[bit >> 3] |= 1 << UInt8(bit & 7)
            } else {
                Builder.writeVarint(delta, to: e)
                // Larger than a bitmap of the rows so far (and not tiny): one from now on.
                if Int(e.pointee.used) + Builder.stagedCount(e) > 64 + bit >> 3 { makeBitmap(e, upTo: bit) }
            }
        }

        /// Grows a bitmap list, by half again, to hold bit `bit`; the new bytes are zero.
        static func growBitmap(_ e: UnsafeMutablePointer<Entry>, toHold bit: Int) {
            let old = Int(e.pointee.capacity)
            let size = Swift.max(bit >> 3 + 1, old + old / 2)
            guard let p = realloc(e.pointee.bytes, size) else { preconditionFailure("out of memory while indexing") }
            memset(p + old, 0, size - old)
            e.pointee.bytes = p.assumingMemoryBound(to: UInt8.self)
            e.pointee.capacity = UInt32(size)
        }

        @inline(__always) static func staging(_ e: UnsafeMutablePointer<Entry>) -> UnsafeMutablePointer<UInt8> {
            (UnsafeMutableRawPointer(e) + MemoryLayout<Entry>.offset(of: \Entry.staged)!).assumingMemoryBound(
                to: UInt8.self)
        }

        @inline(__always) static func stagedCount(_ e: UnsafeMutablePointer<Entry>) -> Int {
            Int(staging(e)[Entry.stagedBytes])
        }

        /// Appends a varint to the list's staged bytes, first moving them to the list's
        /// buffer when fewer than five bytes of room are left.
        @inline(__always) static func writeVarint(_ v: UInt32, to e: UnsafeMutablePointer<Entry>) {
            let out = staging(e)
            var at = Int(out[Entry.stagedBytes])
            if at > Entry.stagedBytes - 5 {
                flush(e)
                at = 0
            }
            at += KeywordIndex.writeVarint(
                v, into: UnsafeMutableBufferPointer(start: out, count: Entry.stagedBytes), at: at)
            out[Entry.stagedBytes] = UInt8(at)
        }

        /// Moves a list's staged bytes to the end of its buffer, growing the buffer
        /// (doubling while small, then by half) when they do not fit.
        static func flush(_ e: UnsafeMutablePointer<Entry>) {
            let staged = staging(e)
            let n = Int(staged[Entry.stagedBytes])
            guard n > 0 else { return }
            let used = Int(e.pointee.used)
            if Int(e.pointee.capacity) - used < n {
                var grown = Swift.max(Int(e.pointee.capacity), 16)
                while grown - used < n { grown = grown < 1 << 16 ? grown * 2 : grown + grown / 2 }
                guard let p = realloc(e.pointee.bytes, grown) else {
                    preconditionFailure("out of memory while indexing")
                }
                e.pointee.bytes = p.assumingMemoryBound(to: UInt8.self)
                e.pointee.capacity = UInt32(grown)
            }
            (e.pointee.bytes.unsafelyUnwrapped + used).update(from: staged, count: n)
            e.pointee.used = UInt32(used + n)
            staged[Entry.stagedBytes] = 0
        }

        /// Rewrites a varint list as a bitmap with room for a quarter more rows than `bit`.
        func makeBitmap(_ e: UnsafeMutablePointer<Entry>, upTo bit: Int) {
            Builder.flush(e)
            let values = Builder.values(of: e.pointee, rowsFrom: firstRow)
            let size = bit >> 3 + 1 + bit >> 5
            guard let bits = calloc(size, 1)?.assumingMemoryBound(to: UInt8.self) else {
                preconditionFailure("out of memory while indexing")
            }
            for r in values {
                let b = Int(r) - firstRow
                bits[b >> 3] |= 1 << UInt8(b & 7)
            }
            free(e.pointee.bytes)
            e.pointee.bytes = bits
            e.pointee.used = Entry.bitmap
            e.pointee.capacity = UInt32(size)
        }

        mutating func grow() {
            let t = table
            let oldEntries = t.entries
            let oldSize = t.mask + 1
            let size = oldSize * 2
            t.entries = Table.allocate(size)
            t.mask = size - 1
            for i in 0..<oldSize where oldEntries[i].key != 0 {
                var h = Builder.hash(oldEntries[i].key - 1) & t.mask
                while t.entries[h].key != 0 { h = (h + 1) & t.mask }
                t.entries[h] = oldEntries[i]
            }
            oldEntries.deallocate()
        }

        /// The rows of a list as the builder holds it, ascending.
        static func values(of e: Entry, rowsFrom first: Int) -> [Int32] {
            let n = Int(e.count)
            guard let p = e.bytes else { return [] }
            let size = e.isBitmap ? Int(e.capacity) : Int(e.used)
            let b = UnsafeBufferPointer(start: p, count: size)
            return [Int32](unsafeUninitializedCapacity: n) { out, written in
                guard let o = out.baseAddress, n > 0 else {
                    written = 0
                    return
                }
                if e.isBitmap {
                    written = KeywordIndex.readBitmap(b, 0, size, limit: n, into: o)
                    for i in 0..<written { o[i] += Int32(first) }
                } else {
                    written = KeywordIndex.readVarints(b, 0, size, limit: n, into: o)
                }
            }
        }

        /// This builder's keys and where each is in its table.
        func occupied() -> [(key: UInt64, slot: Int32)] {
            var out: [(key: UInt64, slot: Int32)] = []
            out.reserveCapacity(table.keyCount)
            for h in 0...table.mask where table.entries[h].key != 0 { out.append((table.entries[h].key - 1, Int32(h))) }
            return out
        }

        var keyCount: Int { table.keyCount }
    }

    /// The index of a whole column, built on one core.
    public init(column: StringColumn) {
        var b = [Builder()]
        b[0].add(column: column, rows: 0..<column.count)
        self = KeywordIndex.freeze(&b, rows: column.count)
    }

    public init(column: UTF16Column) {
        var b = [Builder()]
        b[0].add(column: column, rows: 0..<column.count)
        self = KeywordIndex.freeze(&b, rows: column.count)
    }

    static func varintLength(_ v: UInt32) -> Int {
        v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5
    }

    /// Joins builders that cover consecutive ranges of rows (in that order, the first from
    /// row 0, each posted only below the next one's first row, all below `rows`) into one
    /// index, keys sorted, each list in whichever form is smallest: varints, a bitmap over
    /// all rows, or Elias–Fano. A list built as varints in every builder is copied, only
    /// the first delta of each later part rewritten. The size of the output is worked out
    /// first, so its buffer is allocated once and never moved; each builder list is freed
    /// once it has been copied, and whole free pages go back to the system as that
    /// happens, so the builders and the index do not peak together. Both passes split the
    /// keys in two halves of about equal bytes, one per core.
    public static func freeze(_ builders: inout [Builder], rows: Int) -> KeywordIndex {
        precondition(builders.first.map { $0.firstRow == 0 } ?? (rows == 0), "the first builder must start at row 0")
        for (a, b) in zip(builders, builders.dropFirst()) {
            precondition(a.firstRow <= b.firstRow && b.firstRow <= rows, "builders must be in row order")
        }
        let job = Trace.phase("index: freeze: order") { Freeze(builders, rows: rows) }
        let halves = job.halves()
        Trace.phase("index: freeze: measure") {
            DispatchQueue.concurrentPerform(iterations: halves.count) { job.measure(halves[$0]) }
        }
        Trace.phase("index: freeze: allocate") { job.allocateOutput() }
        Trace.phase("index: freeze: write") {
            DispatchQueue.concurrentPerform(iterations: halves.count) { job.write(halves[$0]) }
        }
        for b in builders.indices { builders[b] = Builder(firstRow: builders[b].firstRow) }
        Allocator.returnFreeMemory()
        return job.index()
    }

    /// One freeze: the builders' lists in key order, and the output being written. Each
    /// key's slots in `kinds`, `sizes`, `counts`, `starts` and the output bytes belong to
    /// the one thread that handles its half.
    final class Freeze: @unchecked Sendable {
        /// Every (key, builder, slot), sorted by key and then by builder: a key's parts are
        /// adjacent and in row order.
        let order: [(key: UInt64, entry: UnsafeMutablePointer<Builder.Entry>, firstRow: Int)]
        /// Where each key's parts start in `order` (and, last, its end).
        let groups: [Int]
        let rows: Int, bitmapSize: Int
        let kinds: UnsafeMutableBufferPointer<UInt8>
        let sizes: UnsafeMutableBufferPointer<Int>
        let counts: UnsafeMutableBufferPointer<UInt32>
        /// Where each list starts in the output: key g's list is starts[g] ..< starts[g + 1].
        let starts: UnsafeMutableBufferPointer<UInt64>
        var bytes = ColumnBuffer<UInt8>()
        var output: UnsafeMutableBufferPointer<UInt8> = .init(start: nil, count: 0)
        let builders: [Builder] // keeps the tables (and so the entries) alive

        var keyCount: Int { groups.count - 1 }

        init(_ builders: [Builder], rows: Int) {
            self.builders = builders
            self.rows = rows
            bitmapSize = (rows + 7) / 8
            var order: [(key: UInt64, entry: UnsafeMutablePointer<Builder.Entry>, firstRow: Int)] = []
            var builderOf: [Int32] = []
            order.reserveCapacity(builders.reduce(0) { $0 + $1.keyCount })
            for (b, builder) in builders.enumerated() {
                for o in builder.occupied() {
                    order.append((o.key, builder.table.entries + Int(o.slot), builder.firstRow))
                    builderOf.append(Int32(b))
                }
            }
            let sorted = order.indices.sorted {
                order[$0].key != order[$1].key ? order[$0].key < order[$1].key : builderOf[$0] < builderOf[$1]
            }
            self.order = sorted.map { order[$0] }
            var groups: [Int] = []
            for i in self.order.indices where i == 0 || self.order[i].key != self.order[i - 1].key { groups.append(i) }
            groups.append(self.order.count)
            self.groups = groups
            let n = groups.count - 1
            kinds = .allocate(capacity: n)
            kinds.initialize(repeating: 0)
            sizes = .allocate(capacity: n)
            sizes.initialize(repeating: 0)
            counts = .allocate(capacity: n)
            counts.initialize(repeating: 0)
            starts = .allocate(capacity: n + 1)
            starts.initialize(repeating: 0)
        }

        deinit {
            kinds.deallocate()
            sizes.deallocate()
            counts.deallocate()
            starts.deallocate()
        }

        /// The keys in two ranges holding about half of the builders' bytes each.
        func halves() -> [Range<Int>] {
            var weight = [Int](repeating: 0, count: keyCount)
            var total = 0
            for g in 0..<keyCount {
                for p in groups[g]..<groups[g + 1] { weight[g] += Int(order[p].entry.pointee.capacity) + 64 }
                total += weight[g]
            }
            var mid = 0
            var acc = 0
            while mid < keyCount && acc * 2 < total {
                acc += weight[mid]
                mid += 1
            }
            return [0..<mid, mid..<keyCount]
        }

        func parts(_ g: Int) -> Range<Int> { groups[g]..<groups[g + 1] }

        /// Calls `body` with each row of key `g`'s list, ascending: each part's varints
        /// (rows as deltas, the first from -1) or bitmap (bits from the part's first row),
        /// in row order.
        @inline(__always) func forEachRow(_ g: Int, _ body: (Int32) -> Void) {
            for p in parts(g) {
                let e = order[p].entry.pointee
                guard let bytes = e.bytes else { continue }
                if e.isBitmap {
                    let first = Int32(order[p].firstRow)
                    KeywordIndex.forEachBitmapWord(bytes, 0, Int(e.capacity)) { rowBase, word in
                        var w = word
                        while w != 0 {
                            body(first + rowBase + Int32(w.trailingZeroBitCount))
                            w &= w &- 1
                        }
                        return true
                    }
                } else {
                    KeywordIndex.forEachVarintRow(bytes, 0, Int(e.used)) {
                        body($0)
                        return true
                    }
                }
            }
        }

        /// A part's first varint (a row + 1) and its length in bytes.
        func firstVarint(_ e: Builder.Entry) -> (value: UInt32, length: Int) {
            guard e.used > 0, let b = e.bytes else { return (0, 0) }
            var i = 0
            let v = KeywordIndex.readVarint(b, at: &i, end: Int(e.used))
            return (v, i)
        }

        /// The size of a key's list as varints, from the parts' own bytes when every part is
        /// varints (nil when a part is a bitmap and the rows must be decoded to know).
        func joinedVarintSize(_ g: Int) -> Int? {
            var size = 0
            var last: Int32 = -1
            for p in parts(g) {
                let e = order[p].entry.pointee
                if e.isBitmap { return nil }
                let first = firstVarint(e)
                size += Int(e.used) - first.length + KeywordIndex.varintLength(UInt32(Int32(first.value) - 1 - last))
                last = e.last
            }
            return size
        }

        /// First pass: each list's form and size.
        func measure(_ keys: Range<Int>) {
            for g in keys {
                let n = parts(g).reduce(0) { $0 + Int(order[$1].entry.pointee.count) }
                let varint: Int
                if let v = joinedVarintSize(g) {
                    varint = v
                } else {
                    var last: Int32 = -1
                    var size = 0
                    forEachRow(g) { r in
                        size += KeywordIndex.varintLength(UInt32(r - last))
                        last = r
                    }
                    varint = size
                }
                let eliasFano = KeywordIndex.eliasFanoSize(count: n, rows: rows)
                let kind =
                    eliasFano < Swift.min(varint, bitmapSize)
                    ? ListKind.eliasFano : bitmapSize < varint ? ListKind.bitmap : ListKind.varint
                kinds[g] = kind
                sizes[g] = kind == ListKind.eliasFano ? eliasFano : kind == ListKind.bitmap ? bitmapSize : varint
                counts[g] = UInt32(n)
            }
        }

        /// Between the passes: where every list goes, and the output allocated once.
        func allocateOutput() {
            for g in 0..<keyCount { starts[g + 1] = starts[g] + UInt64(sizes[g]) }
            bytes = ColumnBuffer(zeroedCount: Int(starts[keyCount]))
            output = bytes.withUnsafeMutableBufferPointer { $0 } // owned and never moved from here on
        }

        /// Second pass: the lists themselves.
        func write(_ keys: Range<Int>) {
            var released = 0
            for g in keys {
                let at = Int(starts[g])
                let out = UnsafeMutableBufferPointer(rebasing: output[at..<(at + sizes[g])])
                if kinds[g] == ListKind.varint, joinedVarintSize(g) != nil {
                    // Copied part by part; only each later part's first delta changes.
                    var w = 0
                    var last: Int32 = -1
                    for p in parts(g) {
                        let e = order[p].entry.pointee
                        let first = firstVarint(e)
                        w += KeywordIndex.writeVarint(UInt32(Int32(first.value) - 1 - last), into: out, at: w)
                        let rest = Int(e.used) - first.length
                        if rest > 0 { (out.baseAddress! + w).update(from: e.bytes! + first.length, count: rest) }
                        w += rest
                        last = e.last
                    }
                    precondition(w == sizes[g], "a joined list's size was miscounted")
                } else {
                    // Rows streamed from the parts into the output: no array of them.
                    switch kinds[g] {
                    case ListKind.bitmap:
                        forEachRow(g) { r in out[Int(r) >> 3] |= 1 << UInt8(Int(r) & 7) }
                    case ListKind.eliasFano:
                        var writer = KeywordIndex.EliasFanoWriter(out, count: Int(counts[g]), rows: rows)
                        forEachRow(g) { writer.append(Int($0)) }
                        precondition(writer.i == Int(counts[g]), "a list's row count was miscounted")
                    default:
                        var w = 0
                        var last: Int32 = -1
                        forEachRow(g) { r in
                            w += KeywordIndex.writeVarint(UInt32(r - last), into: out, at: w)
                            last = r
                        }
                    }
                }
                for p in parts(g) {
                    let e = order[p].entry
                    released += Int(e.pointee.capacity)
                    free(e.pointee.bytes)
                    e.pointee.bytes = nil
                }
                // Freed lists are scattered through the heap; hand whole free pages back
                // to the system as we go.
                if released > 64 << 20 {
                    Allocator.returnFreeMemory()
                    released = 0
                }
            }
        }

        func index() -> KeywordIndex {
            KeywordIndex(
                keys: ColumnBuffer(groups.dropLast().map { order[$0].key }), starts: ColumnBuffer(starts),
                counts: ColumnBuffer(counts), bytes: bytes, kinds: ColumnBuffer(kinds), rows: rows,
                foldKinds: foldKinds())
        }

        /// The builders' folded rows as one byte a row (none when no row folds).
        func foldKinds() -> ColumnBuffer<UInt8> {
            guard builders.contains(where: { !$0.foldedRows.isEmpty }) else { return [] }
            var dense = [UInt8](repeating: 0, count: rows)
            for b in builders {
                for (r, k) in zip(b.foldedRows, b.foldedKinds) where Int(r) < rows { dense[Int(r)] |= k }
            }
            return ColumnBuffer(dense)
        }
    }

    @inline(__always) static func writeVarint(_ v: UInt32, into out: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int
    {
        var d = v
        var i = at
        while d >= 0x80 {
            out[i] = UInt8(d & 0x7F) | 0x80
            d >>= 7
            i += 1
        }
        out[i] = UInt8(d)
        return i + 1 - at
    }
}
