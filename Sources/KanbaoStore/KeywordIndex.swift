// A character n-gram inverted index: for every pair of adjacent characters (and every
// single character) the sorted list of rows that contain it. A keyword of one or two
// characters is answered exactly from one posting list; a longer keyword intersects
// the lists of its bigrams and then verifies the survivors. Chinese users search for
// 党, 郑州 and 群众 all the time, which a trigram index could not serve.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct KeywordIndex: Sendable {
    /// Key: one scalar (`u`) or a pair (`a << 21 | b`, with bit 63 set).
    private var slots: [UInt64: Int32] = [:]
    private var lists: [[Int32]] = []
    public private(set) var rows = 0

    public init() {}

    @inline(__always) static func key(_ a: UInt32) -> UInt64 { UInt64(a) }
    @inline(__always) static func key(_ a: UInt32, _ b: UInt32) -> UInt64 { 1 << 63 | UInt64(a) << 21 | UInt64(b) }

    public init(column: StringColumn) {
        for row in 0..<column.count { add(row: Int32(row), text: column[row]) }
        rows = column.count
    }

    /// One hash per character: the key's slot, then an array append. Rows arrive in
    /// order, so a row is new for a key unless it is that list's last entry.
    @inline(__always) mutating func post(_ k: UInt64, _ row: Int32) {
        if let slot = slots[k] {
            let i = Int(slot)
            if lists[i].last != row { lists[i].append(row) }
        } else {
            slots[k] = Int32(lists.count)
            lists.append([row])
        }
    }

    func postings(_ k: UInt64) -> [Int32]? { slots[k].map { lists[Int($0)] } }

    public mutating func add(row: Int32, text: String) {
        var prev: UInt32?
        for u in text.unicodeScalars {
            let v = u.value
            if v == 0x0A { prev = nil; continue }   // paragraphs do not join into bigrams
            post(KeywordIndex.key(v), row)
            if let p = prev { post(KeywordIndex.key(p, v), row) }
            prev = v
        }
        rows = max(rows, Int(row) + 1)
    }

    /// Candidate rows for a keyword, and whether they are exact (no verification needed).
    public func candidates(_ keyword: String) -> (rows: [Int32], exact: Bool) {
        let s = keyword.unicodeScalars.map(\.value)
        if s.isEmpty { return ((0..<Int32(rows)).map { $0 }, true) }
        if s.contains(0x0A) { return ([], true) }
        if s.count == 1 { return (postings(KeywordIndex.key(s[0])) ?? [], true) }
        var lists: [[Int32]] = []
        for k in 0..<(s.count - 1) {
            guard let l = postings(KeywordIndex.key(s[k], s[k + 1])) else { return ([], true) }
            lists.append(l)
        }
        lists.sort { $0.count < $1.count }
        var acc = lists[0]
        for l in lists.dropFirst() {
            acc = KeywordIndex.intersect(acc, l)
            if acc.isEmpty { break }
        }
        return (acc, s.count == 2)
    }

    public func postingCount(_ keyword: String) -> Int { candidates(keyword).rows.count }

    public static func intersect(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(min(a.count, b.count))
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }

    public static func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) { out.append(a[i]); i += 1 }
            else if i == a.count || b[j] < a[i] { out.append(b[j]); j += 1 }
            else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    public static func subtract(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        var i = 0, j = 0
        while i < a.count {
            if j == b.count || a[i] < b[j] { out.append(a[i]); i += 1 }
            else if a[i] == b[j] { i += 1; j += 1 }
            else { j += 1 }
        }
        return out
    }
}

extension StringColumn {
    /// Does row `row` contain `needle` (UTF-8 bytes)? memmem on the heap, no copies.
    public func contains(row: Int, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        return withBytes(row) { hay in
            guard hay.count >= needle.count, let base = hay.baseAddress else { return false }
            return needle.withUnsafeBytes { n in find(UnsafeRawPointer(base), hay.count, n.baseAddress!, n.count) != nil }
        }
    }

    /// Every occurrence of `needle` in row `row`, as byte offsets.
    public func occurrences(row: Int, _ needle: [UInt8]) -> [Int] {
        guard !needle.isEmpty else { return [] }
        return withBytes(row) { hay in
            var out: [Int] = []
            guard let base = hay.baseAddress else { return out }
            var from = 0
            while from + needle.count <= hay.count {
                let p = needle.withUnsafeBytes { n in find(UnsafeRawPointer(base + from), hay.count - from, n.baseAddress!, n.count) }
                guard let p else { break }
                let at = p - UnsafeRawPointer(base)
                out.append(at)
                from = at + needle.count
            }
            return out
        }
    }
}

/// Byte-string search: memchr for the first byte, memcmp for the rest.
@inline(__always)
func find(_ hay: UnsafeRawPointer, _ hayCount: Int, _ needle: UnsafeRawPointer, _ needleCount: Int) -> UnsafeRawPointer? {
    guard needleCount > 0, hayCount >= needleCount else { return nil }
    let first = Int32(needle.load(as: UInt8.self))
    var p = hay
    let last = hay + (hayCount - needleCount)
    while p <= last {
        guard let hit = memchr(p, first, last - p + 1) else { return nil }
        let h = UnsafeRawPointer(hit)
        if memcmp(h, needle, needleCount) == 0 { return h }
        p = h + 1
    }
    return nil
}
