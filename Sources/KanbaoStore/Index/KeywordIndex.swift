// A character n-gram inverted index: for every pair of adjacent characters (and every
// single character) the sorted list of rows that contain it. A keyword of one or two
// characters is answered exactly from one posting list; a longer keyword intersects
// the lists of its bigrams and then verifies the survivors. Chinese users search for
// 党, 郑州 and 群众 all the time, which a trigram index could not serve.
//
// Built in hash tables (KeywordIndexBuilder.swift), then frozen: keys sorted in one
// array, and each posting list in one byte buffer in whichever form is smallest for it —
// delta varints (a common bigram's row ids are close together, so most deltas take one
// byte), Elias–Fano, or a bitmap over all rows. Frozen, it is a few flat arrays: cheap to
// keep, to snapshot and to map back in.
//
// Bigrams with punctuation or spaces on either side (，X  X。 “X) are not indexed: nobody
// searches for them, and they were an eighth of the postings. A keyword that contains
// one is answered from its other bigrams, or its characters' lists, and verified.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

public struct KeywordIndex: Sendable {
    /// Key: one scalar (`u`) or a pair (`a << 21 | b`, with bit 63 set).
    public private(set) var keys = ColumnBuffer<UInt64>()
    /// Postings of keys[i] are bytes starts[i] ..< starts[i+1]; counts[i] rows.
    public private(set) var starts: ColumnBuffer<UInt64> = [0]
    public private(set) var counts = ColumnBuffer<UInt32>()
    public private(set) var bytes = ColumnBuffer<UInt8>()
    /// How each list is stored: `ListKind.varint`, `.bitmap` or `.eliasFano`.
    public private(set) var kinds = ColumnBuffer<UInt8>()
    public private(set) var rows = 0
    /// Per row, the kinds of folding its text holds (Folding.traditional, .width; 0 when
    /// folding leaves it alone), or empty when no row has any. The index holds folded
    /// text; a search folds a row only when it holds a kind the needle can be made by.
    public private(set) var foldKinds = ColumnBuffer<UInt8>()

    public enum ListKind {
        /// Row deltas as LEB128 varints, the first a delta from -1.
        public static let varint: UInt8 = 0
        /// One bit per row of the index, (rows + 7) / 8 bytes, least significant bit first.
        public static let bitmap: UInt8 = 1
        /// Elias–Fano: each row's low `l` bits packed, then its high bits as a unary-coded
        /// bit vector; about 2 + log2(rows / count) bits a row, which beats a byte a row
        /// for lists between about one row in 200 and one in 8.
        public static let eliasFano: UInt8 = 2
    }

    /// The Elias–Fano layout of `count` rows out of `rows`: low bits per row, and the
    /// byte sizes of the low-bits part and of the high-bits part.
    static func eliasFanoShape(count n: Int, rows: Int) -> (lowBits: Int, lowBytes: Int, highBytes: Int) {
        guard n > 0 else { return (0, 0, 0) }
        var l = 0
        while l < 31 && (n << (l + 1)) <= rows { l += 1 } // l = floor(log2(rows / n))
        return (l, (n * l + 7) / 8, (n + (rows >> l) + 1 + 7) / 8)
    }

    static func eliasFanoSize(count n: Int, rows: Int) -> Int {
        let shape = eliasFanoShape(count: n, rows: rows)
        return shape.lowBytes + shape.highBytes
    }

    /// Elias–Fano form written a row at a time (the freeze streams each list's rows from
    /// the builders into it, with no array of them in between).
    struct EliasFanoWriter {
        let out: UnsafeMutableBufferPointer<UInt8>
        let raw: UnsafeMutableRawPointer
        let l: Int, lowBytes: Int, mask: Int
        var i = 0

        /// `out` is zeroed and exactly `eliasFanoSize(count:rows:)` bytes.
        init(_ out: UnsafeMutableBufferPointer<UInt8>, count: Int, rows: Int) {
            let shape = KeywordIndex.eliasFanoShape(count: count, rows: rows)
            self.out = out
            raw = UnsafeMutableRawPointer(out.baseAddress!)
            (l, lowBytes, mask) = (shape.lowBits, shape.lowBytes, (1 << shape.lowBits) - 1)
        }

        @inline(__always) mutating func append(_ x: Int) {
            var bit = i * l
            var low = x & mask
            var left = l
            // At most 31 + 7 bits: one 64-bit read-modify-write where eight bytes remain
            // (the bits ORed in past the low part are zero), byte by byte near the end.
            if left > 0 && (bit >> 3) + 8 <= out.count {
                let at = bit >> 3
                let word =
                    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) | UInt64(low)
                    << UInt64(bit & 7)
                raw.storeBytes(of: word.littleEndian, toByteOffset: at, as: UInt64.self)
                left = 0
            }
            while left > 0 {
                out[bit >> 3] |= UInt8(truncatingIfNeeded: low << (bit & 7))
                let taken = Swift.min(left, 8 - (bit & 7))
                low >>= taken
                bit += taken
                left -= taken
            }
            let h = (x >> l) + i
            out[lowBytes + (h >> 3)] |= 1 << UInt8(h & 7)
            i += 1
        }
    }

    /// Reads an Elias–Fano list back into ascending rows, writing at most `n` of them
    /// to `out`; returns how many it wrote. High bits are scanned a 64-bit word at a
    /// time, low bits read with one unaligned load each (bytes near the list's end one
    /// by one, so nothing past the list is touched).
    static func readEliasFano(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, count n: Int, rows: Int,
        into out: UnsafeMutablePointer<Int32>
    ) -> Int {
        let (l, lowBytes, highBytes) = eliasFanoShape(count: n, rows: rows)
        let base = UnsafeRawPointer(b.baseAddress!) + start
        let size = lowBytes + highBytes
        let mask: UInt64 = (1 << UInt64(l)) - 1
        @inline(__always) func word(_ at: Int, _ limit: Int) -> UInt64 {
            if at + 8 <= limit { return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            var w: UInt64 = 0
            for j in 0..<Swift.max(0, limit - at) {
                w |= UInt64(base.load(fromByteOffset: at + j, as: UInt8.self)) << UInt64(8 * j)
            }
            return w
        }
        var i = 0
        var off = 0
        while off < highBytes && i < n {
            var w = word(lowBytes + off, size)
            while w != 0 && i < n {
                let h = off * 8 + w.trailingZeroBitCount - i
                let bit = i * l
                let low = l == 0 ? 0 : (word(bit >> 3, size) >> UInt64(bit & 7)) & mask
                out[i] = Int32(truncatingIfNeeded: h << l | Int(low))
                w &= w - 1
                i += 1
            }
            off += 8
        }
        return i
    }

    public init() {}

    public init(
        keys: ColumnBuffer<UInt64>, starts: ColumnBuffer<UInt64>, counts: ColumnBuffer<UInt32>,
        bytes: ColumnBuffer<UInt8>, kinds: ColumnBuffer<UInt8>, rows: Int, foldKinds: ColumnBuffer<UInt8> = []
    ) {
        self.foldKinds = foldKinds
        self.keys = keys
        self.starts = starts
        self.counts = counts
        self.bytes = bytes
        self.kinds = kinds
        self.rows = rows
    }

    /// Characters that do not form bigrams: ASCII punctuation and space, general
    /// punctuation (dashes, quotes, ellipsis), CJK symbols and punctuation, full-width
    /// punctuation. Letters, digits and ideographs all do.
    @inline(__always) public static func isSeparator(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return v <= 0x2F || (v >= 0x3A && v <= 0x40) || (v >= 0x5B && v <= 0x60) || (v >= 0x7B)
        }
        return (v >= 0x2000 && v <= 0x206F) || (v >= 0x3000 && v <= 0x303F) || v == 0xB7
            || (v >= 0xFF01 && v <= 0xFF0F) || (v >= 0xFF1A && v <= 0xFF20) || (v >= 0xFF3B && v <= 0xFF40)
            || (v >= 0xFF5B && v <= 0xFF65)
    }

    @inline(__always) static func key(_ a: UInt32) -> UInt64 { UInt64(a) }
    @inline(__always) static func key(_ a: UInt32, _ b: UInt32) -> UInt64 { 1 << 63 | UInt64(a) << 21 | UInt64(b) }

    /// Where a key is in `keys`, or nil.
    public func slot(_ k: UInt64) -> Int? { keys.sortedIndex(of: k) }

    /// The rows of list `s`, ascending. The output is sized from the list's row count and
    /// never written past it, whatever the bytes say.
    func decode(_ s: Int) -> [Int32] {
        let n = Int(counts[s])
        let start = Int(starts[s])
        let end = Int(starts[s + 1])
        let kind = kinds[s]
        return bytes.withUnsafeBufferPointer { b in
            [Int32](unsafeUninitializedCapacity: n) { out, written in
                guard let o = out.baseAddress, n > 0 else {
                    written = 0
                    return
                }
                switch kind {
                case ListKind.eliasFano:
                    written = KeywordIndex.readEliasFano(b, from: start, count: n, rows: rows, into: o)
                case ListKind.bitmap: written = KeywordIndex.readBitmap(b, start, end, limit: n, into: o)
                default: written = KeywordIndex.readVarints(b, start, end, limit: n, into: o)
                }
            }
        }
    }

    /// The rows of a bitmap list in bytes `start ..< end`; at most `n` are written.
    @inline(__always)
    static func readBitmap(
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, limit n: Int, into o: UnsafeMutablePointer<Int32>
    ) -> Int {
        var k = 0
        forEachBitmapWord(b.baseAddress!, start, end) { rowBase, word in
            var w = word
            while w != 0 && k < n {
                o[k] = rowBase + Int32(w.trailingZeroBitCount)
                k += 1
                w &= w - 1
            }
            return k < n
        }
        return k
    }

    /// The rows of a varint list in bytes `start ..< end`; at most `n` are written.
    @inline(__always)
    static func readVarints(
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, limit n: Int, into o: UnsafeMutablePointer<Int32>
    ) -> Int {
        guard n > 0 else { return 0 }
        var k = 0
        forEachVarintRow(b.baseAddress!, start, end) { r in
            o[k] = r
            k += 1
            return k < n
        }
        return k
    }

    /// Calls `body` with each non-zero 64-bit word of a bitmap in bytes `start ..< end`
    /// and the row of its bit 0 (bit k from `start` on is row k), in order; a last word
    /// shorter than eight bytes is read byte by byte. Stops early when `body` returns
    /// false. The query's list reader and the freeze (which streams a builder's bitmap
    /// into the finished list) both read bitmaps here; each expands the word's bits in
    /// its own loop, the reader's bounded by the list's count.
    @inline(__always)
    static func forEachBitmapWord(
        _ b: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ body: (_ rowBase: Int32, _ word: UInt64) -> Bool
    ) {
        let raw = UnsafeRawPointer(b)
        var at = start
        while at < end {
            var w: UInt64
            if at + 8 <= end {
                w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            } else {
                w = 0
                for j in 0..<(end - at) { w |= UInt64(b[at + j]) << UInt64(8 * j) }
            }
            if w != 0 && !body(Int32(truncatingIfNeeded: (at - start) * 8), w) { return }
            at += 8
        }
    }

    /// Calls `body` with the rows of a varint list in bytes `start ..< end` (deltas, the
    /// first from -1), ascending; no varint is read past the list's end. Stops early when
    /// `body` returns false.
    @inline(__always)
    static func forEachVarintRow(_ b: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ body: (Int32) -> Bool) {
        var i = start
        var last: Int32 = -1
        while i < end {
            last &+= Int32(bitPattern: readVarint(b, at: &i, end: end))
            if !body(last) { return }
        }
    }

    /// One LEB128 varint at `i` (advanced past it), never reading at or past `end`.
    @inline(__always)
    static func readVarint(_ b: UnsafePointer<UInt8>, at i: inout Int, end: Int) -> UInt32 {
        var d: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let x = b[i]
            i += 1
            d |= UInt32(x & 0x7F) << shift
            if x < 0x80 || i >= end || shift > 28 { break }
            shift += 7
        }
        return d
    }

    func postings(_ k: UInt64) -> [Int32]? { slot(k).map(decode) }

    /// The lists a keyword is answered from — its pairs' (bigrams with a separator left
    /// out), or its characters' when it has no pair — shortest first, and whether they
    /// answer it exactly; nil when one of them is not in the index (no row holds it).
    func lists(for s: [UInt32]) -> (slots: [Int], exact: Bool)? {
        var slots: [Int] = []
        if s.count == 1 {
            guard let sl = slot(KeywordIndex.key(s[0])) else { return nil }
            slots.append(sl)
        }
        for k in 0..<Swift.max(0, s.count - 1)
        where !KeywordIndex.isSeparator(s[k]) && !KeywordIndex.isSeparator(s[k + 1]) {
            guard let sl = slot(KeywordIndex.key(s[k], s[k + 1])) else { return nil }
            slots.append(sl)
        }
        var exact = s.count <= 2 && slots.count == 1
        if slots.isEmpty && s.count > 1 {
            // Only separators next to each other, or to letters: the characters' own lists.
            for c in Set(s) {
                guard let sl = slot(KeywordIndex.key(c)) else { return nil }
                slots.append(sl)
            }
            exact = false
        }
        // Shortest lists first: an intersection shrinks fastest.
        slots.sort { counts[$0] < counts[$1] }
        return (slots, exact)
    }

    /// Candidate rows for a keyword, and whether they are exact (no verification needed).
    /// `intersecting: false` gives the rows of its shortest list alone, for a reader that
    /// verifies each row it reads anyway and may stop early (kwic with a limit).
    /// `within`: only these rows (sorted) are asked about; a dense list is then probed
    /// row by row (a bitmap) instead of decoded whole.
    public func candidates(_ keyword: String, intersecting: Bool = true, within: [Int32]? = nil) -> (
        rows: [Int32], exact: Bool
    ) {
        let s = keyword.unicodeScalars.map { Folding.fold($0.value) }
        if s.isEmpty { return (within ?? (0..<Int32(rows)).map { $0 }, true) }
        if s.contains(0x0A) { return ([], true) }
        guard let (slots, exact) = lists(for: s) else { return ([], true) }
        var acc: [Int32]
        var rest = slots[...]
        if let within {
            acc = within
        } else {
            acc = decode(slots[0])
            if !intersecting { return (acc, exact && slots.count == 1) }
            rest = rest.dropFirst()
        }
        for sl in rest where !acc.isEmpty {
            acc = kinds[sl] == ListKind.bitmap ? keep(acc, inBitmap: sl) : KeywordIndex.intersect(acc, decode(sl))
        }
        return (acc, exact)
    }

    /// The rows of `rows` whose bit is set in bitmap list `s`: one probe per row, instead
    /// of decoding a list that holds most of the corpus.
    func keep(_ rows: [Int32], inBitmap s: Int) -> [Int32] {
        let start = Int(starts[s])
        let size = Int(starts[s + 1]) - start
        return bytes.withUnsafeBufferPointer { b in
            rows.filter { r in
                let byte = Int(r) >> 3
                return byte < size && b[start + byte] & (1 << UInt8(Int(r) & 7)) != 0
            }
        }
    }

    /// How many rows the keyword's rarest list is in: a cheap upper bound for planning.
    public func postingCount(_ keyword: String) -> Int {
        let s = keyword.unicodeScalars.map { Folding.fold($0.value) }
        guard let (slots, _) = lists(for: s) else { return 0 }
        return slots.first.map { Int(counts[$0]) } ?? rows
    }

    /// Must a search for a needle made by folding of `kinds` read row `row` folded?
    @inline(__always) public func mustFold(_ row: Int, for kinds: UInt8) -> Bool {
        kinds != 0 && row < foldKinds.count && foldKinds[row] & kinds != 0
    }

    public var byteSize: Int {
        keys.count * 8 + starts.count * 8 + counts.count * 4 + kinds.count + bytes.count + foldKinds.count
    }

    public static func intersect(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                [Int32](unsafeUninitializedCapacity: Swift.min(x.count, y.count)) { out, written in
                    var i = 0
                    var j = 0
                    var k = 0
                    while i < x.count && j < y.count {
                        let u = x[i]
                        let v = y[j]
                        if u == v {
                            out[k] = u
                            k += 1
                            i += 1
                            j += 1
                        } else if u < v {
                            i += 1
                        } else {
                            j += 1
                        }
                    }
                    written = k
                }
            }
        }
    }

    public static func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                [Int32](unsafeUninitializedCapacity: x.count + y.count) { out, written in
                    var i = 0
                    var j = 0
                    var k = 0
                    while i < x.count && j < y.count {
                        let u = x[i]
                        let v = y[j]
                        out[k] = Swift.min(u, v)
                        k += 1
                        if u <= v { i += 1 }
                        if v <= u { j += 1 }
                    }
                    while i < x.count {
                        out[k] = x[i]
                        k += 1
                        i += 1
                    }
                    while j < y.count {
                        out[k] = y[j]
                        k += 1
                        j += 1
                    }
                    written = k
                }
            }
        }
    }

    public static func subtract(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        if b.isEmpty { return a }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                [Int32](unsafeUninitializedCapacity: x.count) { out, written in
                    var i = 0
                    var j = 0
                    var k = 0
                    while i < x.count {
                        if j == y.count || x[i] < y[j] {
                            out[k] = x[i]
                            k += 1
                            i += 1
                        } else if x[i] == y[j] {
                            i += 1
                            j += 1
                        } else {
                            j += 1
                        }
                    }
                    written = k
                }
            }
        }
    }
}

extension StringColumn {
    /// Does row `row` contain `needle` (UTF-8 bytes)? No copies.
    public func contains(row: Int, _ needle: [UInt8]) -> Bool { withBytes(row) { containsBytes($0, needle) } }
}

/// Do the bytes hold `needle` anywhere?
@inline(__always) func containsBytes(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    guard hay.count >= needle.count, let base = hay.baseAddress else { return false }
    return needle.withUnsafeBytes { n in findBytes(UnsafeRawPointer(base), hay.count, n.baseAddress!, n.count) != nil }
}

/// Byte-string search, sixteen positions at a time: two bytes of the needle are compared
/// at every position of a block with vector compares, and only positions where both
/// agree are checked with memcmp. In Chinese UTF-8 the first byte of a character (E4–E9)
/// is in nearly every position, so one anchor is the first character's third byte (which
/// varies far more) and the other the needle's last byte; together they agree by chance
/// about once in four thousand positions. The earlier memchr-on-one-byte loop stopped
/// every ~190 bytes for a memcmp and ran at 1.3 GB/s (bench/HISTORY.md).
@inline(__always)
public func findBytes(_ hay: UnsafeRawPointer, _ hayCount: Int, _ needle: UnsafeRawPointer, _ needleCount: Int)
    -> UnsafeRawPointer?
{
    guard needleCount > 0, hayCount >= needleCount else { return nil }
    if needleCount == 1 {
        return memchr(hay, Int32(needle.load(as: UInt8.self)), hayCount).map { UnsafeRawPointer($0) }
    }
    let a1 = needleCount >= 4 ? 2 : 0
    let a2 = needleCount - 1
    let b1 = needle.load(fromByteOffset: a1, as: UInt8.self)
    let b2 = needle.load(fromByteOffset: a2, as: UInt8.self)
    let v1 = SIMD16<UInt8>(repeating: b1)
    let v2 = SIMD16<UInt8>(repeating: b2)
    let last = hayCount - needleCount // the last start position
    var i = 0
    // Block i covers start positions i ... i + 15; its loads end at i + 15 + a2 ≤ hayCount - 1.
    while i + 15 <= last {
        let x = hay.loadUnaligned(fromByteOffset: i + a1, as: SIMD16<UInt8>.self)
        let y = hay.loadUnaligned(fromByteOffset: i + a2, as: SIMD16<UInt8>.self)
        let both = (x .== v1) .& (y .== v2)
        if any(both) {
            for j in 0..<16 where both[j] {
                if memcmp(hay + i + j, needle, needleCount) == 0 { return hay + i + j }
            }
        }
        i += 16
    }
    while i <= last {
        if hay.load(fromByteOffset: i + a1, as: UInt8.self) == b1
            && hay.load(fromByteOffset: i + a2, as: UInt8.self) == b2 && memcmp(hay + i, needle, needleCount) == 0
        {
            return hay + i
        }
        i += 1
    }
    return nil
}
