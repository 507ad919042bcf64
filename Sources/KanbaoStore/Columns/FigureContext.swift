// A figure's context — the clause it stands in — is not stored: it is found again in the
// article's body, from the figure's raw text outwards to the nearest clause breaks, with
// spaces and cut quotation marks trimmed from both ends, and at most
// FigureRecord.contextReach characters to either side. This is the rule the extractor
// (FigureReader.context) applies to scalars, here on the body's UTF-16 code units. StoreBuilder checks
// every figure's recorded context against it and keeps the rare one that differs.

enum FigureContext {
    /// The unit range of the context within `body`, for raw text at `rawStart ..< rawEnd`.
    static func range(in body: UnsafeBufferPointer<UInt16>, rawStart: Int, rawEnd: Int) -> Range<Int> {
        var lo = rawStart
        var hi = rawEnd
        var steps = 0
        while lo > 0 && steps < FigureRecord.contextReach {
            let (v, start) = scalar(before: lo, in: body)
            if isClauseBreak(v) { break }
            lo = start
            steps += 1
        }
        steps = 0
        while hi < body.count && steps < FigureRecord.contextReach {
            let (v, end) = scalar(at: hi, in: body)
            if isClauseBreak(v) { break }
            hi = end
            steps += 1
        }
        while lo < rawStart {
            let (v, end) = scalar(at: lo, in: body)
            guard isTrimmed(v) else { break }
            lo = end
        }
        while hi > rawEnd {
            let (v, start) = scalar(before: hi, in: body)
            guard isTrimmed(v) else { break }
            hi = start
        }
        return lo..<hi
    }

    @inline(__always) static func scalar(at i: Int, in b: UnsafeBufferPointer<UInt16>) -> (UInt32, Int) {
        UTF16Text.decode(b, at: i)
    }

    /// The scalar ending just before unit `i`, and the unit it starts at.
    @inline(__always) static func scalar(before i: Int, in b: UnsafeBufferPointer<UInt16>) -> (UInt32, Int) {
        UTF16Text.decode(b, before: i)
    }

    /// ，。；！？：,;!?: and the line break.
    @inline(__always) static func isClauseBreak(_ v: UInt32) -> Bool {
        switch v {
        case 0xFF0C, 0x3002, 0xFF1B, 0xFF01, 0xFF1F, 0xFF1A, 0x2C, 0x3B, 0x21, 0x3F, 0x3A, 0x0A: return true
        default: return false
        }
    }

    /// Spaces (including the ideographic and no-break spaces) and quotation marks.
    @inline(__always) static func isTrimmed(_ v: UInt32) -> Bool {
        switch v {
        case 0x20, 0x09, 0x3000, 0xA0, 0x0B, 0x0C, 0xFEFF, 0x201C, 0x201D, 0x2018, 0x2019, 0x300C, 0x300D, 0x22:
            return true
        default: return v >= 0x2000 && v <= 0x200B
        }
    }

    /// How many scalars the first `units` units of `body` hold (a figure's offset).
    static func scalarCount(_ body: UnsafeBufferPointer<UInt16>, units: Int) -> Int {
        UTF16Text.scalarCount(UnsafeBufferPointer(rebasing: body[..<units]))
    }
}
