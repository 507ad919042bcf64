// How many terminal columns a string takes: East Asian Wide and Fullwidth characters
// (汉字, full-width punctuation) and emoji take two, combining marks and zero-width
// characters none, everything else one. Tables and carets are aligned with this.

public enum DisplayWidth {
    public static func of(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        // Zero width: combining marks, joiners, variation selectors.
        if (0x0300...0x036F).contains(v) || (0x1AB0...0x1AFF).contains(v) || (0x1DC0...0x1DFF).contains(v)
            || (0x20D0...0x20FF).contains(v) || (0xFE20...0xFE2F).contains(v) || (0xFE00...0xFE0F).contains(v)
            || v == 0x200B || v == 0x200C || v == 0x200D || v == 0x2060 || v == 0xFEFF
            || (0xE0100...0xE01EF).contains(v)
        {
            return 0
        }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x1F680...0x1F6FF).contains(v) || (0x20000...0x3FFFD).contains(v)
            || (0x2600...0x26FF).contains(v) && Unicode.Scalar(v)!.properties.isEmojiPresentation
            || (0x1FA70...0x1FAFF).contains(v)
    }

    public static func of(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += of(u) }
        return w
    }

    public static func of<S: Sequence>(scalars: S) -> Int where S.Element == Unicode.Scalar {
        var w = 0
        for u in scalars { w += of(u) }
        return w
    }

    /// The longest prefix of `s` that fits in `width` columns, with … when cut.
    public static func truncate(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        guard width >= 1 else { return "" }
        var out = String.UnicodeScalarView()
        var w = 0
        for u in s.unicodeScalars {
            let cw = of(u)
            if w + cw > width - 1 { break }
            out.append(u)
            w += cw
        }
        out.append("…")
        return String(out)
    }

    public static func pad(_ s: String, to width: Int, right: Bool = false) -> String {
        let w = of(s)
        if w >= width { return s }
        let fill = String(repeating: " ", count: width - w)
        return right ? fill + s : s + fill
    }
}
