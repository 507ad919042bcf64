// The article bodies, the bulk of the store, as UTF-16: two bytes for a Chinese
// character instead of UTF-8's three (digits and line breaks, a tenth of the text, take
// two instead of one), so the bodies take about 0.72 of their UTF-8 size and the keyword
// verifier reads that much less. The search stays a byte search (findBytes) whose hits
// must start on a code unit; kwic and figure contexts walk code units.
import CKanbaoKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Text column of UTF-16 code units: one heap plus offsets in units
/// (`offsets.count == count + 1`).
public struct UTF16Column: Sendable {
    public internal(set) var units = ColumnBuffer<UInt16>()
    public internal(set) var offsets: ColumnBuffer<Int> = [0]

    public init() {}

    public var count: Int { offsets.count - 1 }

    public mutating func reserve(units n: Int) { units.reserveCapacity(n) }

    public mutating func append(_ value: String) {
        units.append(contentsOf: value.utf16)
        offsets.append(units.count)
    }

    public mutating func append(units row: UnsafeBufferPointer<UInt16>) {
        units.append(contentsOf: row)
        offsets.append(units.count)
    }

    public subscript(row: Int) -> String { withUnits(row) { String(decoding: $0, as: UTF16.self) } }

    /// The code units of one row, in place.
    public func withUnits<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt16>) -> R) -> R {
        let start = offsets[row]
        let end = offsets[row + 1]
        return units.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    public func unitCount(_ row: Int) -> Int { offsets[row + 1] - offsets[row] }

    /// Does row `row` contain `needle` (UTF-16 code units)?
    public func contains(row: Int, _ needle: [UInt16]) -> Bool {
        if needle.isEmpty { return true }
        return withUnits(row) { hay in
            needle.withUnsafeBufferPointer { n in UTF16Text.find(hay, n) != nil }
        }
    }

    /// Starts loading the first `lines` cache lines of row `row` (a candidate the
    /// verifier will read a few rows from now: its text then arrives from memory while
    /// the rows before it are searched).
    @inline(__always) public func prefetch(row: Int, lines: Int = 32) {
        units.withUnsafeBufferPointer { u in
            guard let base = u.baseAddress else { return }
            let start = offsets[row]
            let end = Swift.min(offsets[row + 1], start + lines * 32)
            var at = start
            while at < end {
                kb_prefetch(base + at)
                at += 32
            }
        }
    }

    public var byteSize: Int { units.count * 2 + offsets.count * 8 }
}

public enum UTF16Text {
    /// The first unit offset at which `needle` starts in `hay`: the byte search, its
    /// hits at odd bytes (a needle's bytes across two units) passed over.
    @inline(__always)
    public static func find(_ hay: UnsafeBufferPointer<UInt16>, _ needle: UnsafeBufferPointer<UInt16>, from: Int = 0)
        -> Int?
    {
        guard !needle.isEmpty, hay.count - from >= needle.count, let h = hay.baseAddress,
            let n = needle.baseAddress
        else { return needle.isEmpty ? from : nil }
        let base = UnsafeRawPointer(h)
        var at = from * 2
        let end = hay.count * 2
        while let p = findBytes(base + at, end - at, UnsafeRawPointer(n), needle.count * 2) {
            let offset = p - base
            if offset & 1 == 0 { return offset >> 1 }
            at = offset + 1
        }
        return nil
    }

    /// The scalar starting at unit `i`, and the unit after it. A lone surrogate reads as
    /// itself (text from a snapshot need not be trusted to be well formed).
    @inline(__always)
    public static func decode(_ u: UnsafeBufferPointer<UInt16>, at i: Int) -> (value: UInt32, next: Int) {
        let a = UInt32(u[i])
        if a & 0xFC00 == 0xD800 && i + 1 < u.count && u[i + 1] & 0xFC00 == 0xDC00 {
            return (0x10000 + ((a - 0xD800) << 10) + (UInt32(u[i + 1]) - 0xDC00), i + 2)
        }
        return (a, i + 1)
    }

    /// The scalar ending just before unit `i`, and the unit it starts at.
    @inline(__always)
    public static func decode(_ u: UnsafeBufferPointer<UInt16>, before i: Int) -> (value: UInt32, start: Int) {
        if i >= 2 && u[i - 1] & 0xFC00 == 0xDC00 && u[i - 2] & 0xFC00 == 0xD800 {
            return (decode(u, at: i - 2).value, i - 2)
        }
        return (UInt32(u[i - 1]), i - 1)
    }

    /// A unit that continues a character (the second of a surrogate pair).
    @inline(__always) public static func isTrail(_ u: UInt16) -> Bool { u & 0xFC00 == 0xDC00 }

    /// Scalars in the units.
    public static func scalarCount(_ u: UnsafeBufferPointer<UInt16>) -> Int {
        var n = u.count
        for x in u where x & 0xFC00 == 0xDC00 { n -= 1 }
        return n
    }

    /// UTF-8 bytes (valid, as ingest makes them) as UTF-16 code units.
    public static func units(fromUTF8 b: UnsafeBufferPointer<UInt8>) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] < 0x80 {
                out.append(UInt16(b[i]))
                i += 1
                continue
            }
            let (v, next) = UTF8Scalars.decode(b, at: i)
            i = next
            if v < 0x10000 {
                out.append(UInt16(v))
            } else {
                out.append(UInt16(0xD800 + ((v - 0x10000) >> 10)))
                out.append(UInt16(0xDC00 + ((v - 0x10000) & 0x3FF)))
            }
        }
        return out
    }

    /// Orders units so that their order is code point order (UTF-16 alone puts
    /// U+E000–U+FFFF after the surrogates, which stand for higher code points).
    @inline(__always) public static func codePointOrder(_ u: UInt16) -> UInt16 {
        u >= 0xE000 ? u &- 0x800 : u >= 0xD800 ? u &+ 0x2000 : u
    }

}
