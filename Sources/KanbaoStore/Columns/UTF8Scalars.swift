// One UTF-8 decoder for the loops that walk text byte by byte (the index builder, the
// figure-context scan, ingest's scalar arrays). It never reads past the buffer: a
// sequence cut short by the end reads as its first byte alone, so text from a snapshot
// need not be trusted to be valid UTF-8.

public enum UTF8Scalars {
    /// The scalar value starting at byte `i`, and the byte after it.
    @inlinable @inline(__always)
    public static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, next: Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, i + 1) }
        if b0 < 0xE0 { return i + 1 < b.count ? ((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), i + 2) : (b0, i + 1) }
        if b0 < 0xF0 {
            return i + 2 < b.count
                ? ((b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), i + 3) : (b0, i + 1)
        }
        return i + 3 < b.count
            ? (
                (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                    | UInt32(b[i + 3] & 0x3F), i + 4
            )
            : (b0, i + 1)
    }

    /// How many scalars the bytes hold: the bytes that are not continuation bytes
    /// (10xxxxxx), counted eight at a time.
    public static func count(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = b.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var n = 0
        var i = 0
        while i + 8 <= b.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Bit 7 of each byte that has bit 7 set and bit 6 clear.
            let continuation = w & ~(w << 1) & 0x8080_8080_8080_8080
            n += 8 - continuation.nonzeroBitCount
            i += 8
        }
        while i < b.count {
            if b[i] & 0xC0 != 0x80 { n += 1 }
            i += 1
        }
        return n
    }

    /// The text as UTF-16 units, decoded straight from the bytes (no String between).
    public static func utf16(_ b: UnsafeBufferPointer<UInt8>) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let (v, next) = decode(b, at: i)
            i = next
            if v < 0x10000 {
                out.append(UInt16(truncatingIfNeeded: v))
            } else {
                out.append(UInt16(truncatingIfNeeded: 0xD800 + ((v - 0x10000) >> 10)))
                out.append(UInt16(truncatingIfNeeded: 0xDC00 + ((v - 0x10000) & 0x3FF)))
            }
        }
        return out
    }
}
