// Small, allocation-free predicates over Unicode scalars. Page text is processed as
// arrays of scalars: one index per character, which is also how offsets are reported.
import KanbaoStore

public typealias Scalars = [Unicode.Scalar]

extension Unicode.Scalar {
    @inline(__always) var isHan: Bool {
        let v = value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2FA1F).contains(v)
            || v == 0x3007 // 〇
    }
    @inline(__always) var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
    @inline(__always) var isASCIIUppercase: Bool { value >= 0x41 && value <= 0x5A }
    @inline(__always) var isFullwidthDigit: Bool { value >= 0xFF10 && value <= 0xFF19 }
    /// ASCII or full-width digit, as its numeric value.
    @inline(__always) var digitValue: Int? {
        if isASCIIDigit { return Int(value - 0x30) }
        if isFullwidthDigit { return Int(value - 0xFF10) }
        return nil
    }
    @inline(__always) var isLatinLetter: Bool {
        (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || (value >= 0xFF21 && value <= 0xFF5A)
    }
    /// Whitespace including the ideographic space and no-break space.
    @inline(__always) var isSpaceLike: Bool {
        value == 0x20 || value == 0x09 || value == 0x3000 || value == 0xA0 || value == 0x0B || value == 0x0C
            || value == 0xFEFF || (value >= 0x2000 && value <= 0x200B)
    }
    /// Ends a sentence: 。！？!? and the ellipsis.
    @inline(__always) var isSentenceEnd: Bool {
        switch value {
        case 0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0x2026, 0xFF0E: return true
        default: return false
        }
    }
    /// Closing quotes and brackets that may follow a sentence end.
    @inline(__always) var isClosingMark: Bool {
        switch value {
        case 0x201D, 0x2019, 0x300D, 0x300F, 0x300B, 0xFF09, 0x29, 0x22, 0x27, 0x3011: return true
        default: return false
        }
    }
    /// Separates clauses: the context of a figure is bounded by these.
    @inline(__always) var isClauseBreak: Bool {
        switch value {
        case 0xFF0C, 0x3002, 0xFF1B, 0xFF01, 0xFF1F, 0xFF1A, 0x2C, 0x3B, 0x21, 0x3F, 0x3A, 0x0A: return true
        default: return false
        }
    }
}

extension Array where Element == Unicode.Scalar {
    init(_ s: Substring) {
        var sub = s
        self = sub.withUTF8 { decodeScalars($0) }
    }
    /// The scalars of a string, decoded from its UTF-8 in one pass (the generic
    /// Array(s.unicodeScalars) walks the string twice, to count and to copy).
    init(scalarsOf s: String) {
        var str = s
        self = str.withUTF8 { decodeScalars($0) }
    }
    /// Scalars → String through one UTF-8 buffer (appending to a UnicodeScalarView scalar
    /// by scalar is several times slower).
    var string: String { utf8String(self) }
    @inline(__always) func hasPrefix(_ p: Scalars, at i: Int = 0) -> Bool {
        guard i >= 0, i + p.count <= count else { return false }
        for k in 0..<p.count where self[i + k] != p[k] { return false }
        return true
    }
    func hasSuffix(_ p: String) -> Bool {
        let q = Array(p.unicodeScalars)
        return q.count <= count && hasPrefix(q, at: count - q.count)
    }
    func hasPrefix(_ p: String, at i: Int = 0) -> Bool {
        var j = i
        for u in p.unicodeScalars {
            if j >= count || self[j] != u { return false }
            j += 1
        }
        return true
    }
}

extension ArraySlice where Element == Unicode.Scalar {
    var string: String { utf8String(self) }
}

/// Encodes straight into the new string's storage (at most four bytes a scalar).
@inline(__always)
func utf8String<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
    String(unsafeUninitializedCapacity: scalars.count * 4) { encodeUTF8(scalars, into: $0) }
}

/// The same as bytes, for text that needs no String (a body on its way to the store: a
/// String would check the bytes again). Short-lived: the unused capacity is not given back.
func utf8Bytes(_ scalars: Scalars) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: scalars.count * 4) { out, written in
        written = encodeUTF8(scalars, into: out)
    }
}

@inline(__always)
func encodeUTF8<C: Collection>(_ scalars: C, into out: UnsafeMutableBufferPointer<UInt8>) -> Int
where C.Element == Unicode.Scalar {
    var k = 0
    for u in scalars {
        let v = u.value
        if v < 0x80 {
            out[k] = UInt8(v)
            k += 1
        } else if v < 0x800 {
            out[k] = UInt8(0xC0 | v >> 6)
            out[k + 1] = UInt8(0x80 | v & 0x3F)
            k += 2
        } else if v < 0x10000 {
            out[k] = UInt8(0xE0 | v >> 12)
            out[k + 1] = UInt8(0x80 | (v >> 6) & 0x3F)
            out[k + 2] = UInt8(0x80 | v & 0x3F)
            k += 3
        } else {
            out[k] = UInt8(0xF0 | v >> 18)
            out[k + 1] = UInt8(0x80 | (v >> 12) & 0x3F)
            out[k + 2] = UInt8(0x80 | (v >> 6) & 0x3F)
            out[k + 3] = UInt8(0x80 | v & 0x3F)
            k += 4
        }
    }
    return k
}

/// UTF-8 → scalars (a Swift string's UTF-8 is always valid).
@inline(__always)
func decodeScalars(_ b: UnsafeBufferPointer<UInt8>) -> [Unicode.Scalar] {
    [Unicode.Scalar](unsafeUninitializedCapacity: b.count) { out, written in
        var i = 0
        var k = 0
        let n = b.count
        while i < n {
            let (v, next) = UTF8Scalars.decode(b, at: i)
            i = next
            out[k] = Unicode.Scalar(v) ?? "\u{FFFD}"
            k += 1
        }
        written = k
    }
}

extension String {
    /// Characters in the accounting sense (Unicode scalars): the bytes that start one.
    var scalarCount: Int {
        var s = self
        return s.withUTF8 { UTF8Scalars.count($0) }
    }
    /// Trims spaces, tabs, the ideographic space and friends at both ends.
    func trimmingSpaceLike() -> String {
        let s = unicodeScalars
        guard let a = s.firstIndex(where: { !$0.isSpaceLike }) else { return "" }
        let b = s.lastIndex(where: { !$0.isSpaceLike })!
        return String(s[a...b])
    }
}

/// A set of 16-bit values — characters of the Basic Multilingual Plane, or hashes of
/// pairs of characters — as 64 K bits (8 KB, small enough to stay in the L1 cache): the
/// scanners' first test on every character, before anything that costs more. Copy a
/// `static let` one into a local before a loop: reading the static per character pays
/// its lazy-initialisation check every time.
struct Bits64K: Sendable {
    private var words = [UInt64](repeating: 0, count: 0x10000 / 64)

    /// The set of `values`; any past 0xFFFF are left out.
    init<S: Sequence>(_ values: S) where S.Element == UInt32 {
        for v in values where v < 0x10000 { words[Int(v >> 6)] |= 1 << UInt64(v & 63) }
    }

    /// False for any value past 0xFFFF.
    @inline(__always) func contains(_ v: UInt32) -> Bool {
        guard v < 0x10000 else { return false }
        return words.withUnsafeBufferPointer { $0[Int(v >> 6)] } & (1 << UInt64(v & 63)) != 0
    }
}
